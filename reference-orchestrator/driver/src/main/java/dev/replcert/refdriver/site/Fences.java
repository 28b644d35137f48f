package dev.replcert.refdriver.site;

import dev.replcert.refdriver.Defect;
import dev.replcert.refdriver.DriverOptions;
import dev.replcert.refdriver.storage.SiteState;
import dev.replcert.refdriver.storage.SiteStore;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The site-wide network fence: client address ranges whose publish and data-path access are
 * refused. Persisted in {@code site.json}; fence and unfence are idempotent. Every change bumps
 * the fence's version, so that with fence scope mirror ({@link FenceSharing}) the two sites can
 * agree on the newer one.
 */
final class Fences {

  private final DriverOptions options;
  private final SiteStore store;

  Fences(DriverOptions options, SiteStore store) {
    this.options = options;
    this.store = store;
  }

  synchronized void fence(List<String> cidrs) {
    List<String> add = canonical(cidrs);
    SiteState state = store.state();
    store.setState(changed(union(state.fencedCidrs(), add), union(state.enforcedCidrs(), add)));
  }

  synchronized void unfence(List<String> cidrs) {
    List<String> remove = canonical(cidrs);
    SiteState state = store.state();
    List<String> fenced = minus(state.fencedCidrs(), remove);
    // the defect reports the ranges unfenced but keeps refusing them
    List<String> enforced =
        options.has(Defect.UNFENCE_NOT_RESTORING) ? state.enforcedCidrs() : minus(state.enforcedCidrs(), remove);
    store.setState(changed(fenced, enforced));
  }

  /** This site's fence, as it is shared with the peer. */
  SiteState state() {
    return store.state();
  }

  /**
   * Keeps {@code other} instead of this site's fence when it is newer (higher version, then the
   * lower name of the site that set it); returns the fence kept.
   */
  synchronized SiteState adoptIfNewer(SiteState other) {
    SiteState mine = store.state();
    if (newer(other, mine)) {
      store.setState(other);
      return other;
    }
    return mine;
  }

  static boolean newer(SiteState a, SiteState b) {
    if (a.fenceVersion() != b.fenceVersion()) {
      return a.fenceVersion() > b.fenceVersion();
    }
    return !a.fenceSetBy().isEmpty() && (b.fenceSetBy().isEmpty() || a.fenceSetBy().compareTo(b.fenceSetBy()) < 0);
  }

  private SiteState changed(List<String> fenced, List<String> enforced) {
    SiteState state = store.state();
    if (state.fencedCidrs().equals(fenced) && state.enforcedCidrs().equals(enforced)) {
      return state;
    }
    return new SiteState(fenced, enforced, state.fenceVersion() + 1, options.site());
  }

  List<String> fenced() {
    return store.state().fencedCidrs();
  }

  /** The enforced range holding {@code address}, or null when the address may proceed. */
  String fencing(String address) {
    if (options.has(Defect.FENCE_NOT_ENFORCED)) {
      return null;
    }
    for (String cidr : store.state().enforcedCidrs()) {
      if (Cidr.parse(cidr).contains(address)) {
        return cidr;
      }
    }
    return null;
  }

  private static List<String> canonical(List<String> cidrs) {
    List<String> out = new ArrayList<>();
    for (String cidr : cidrs == null ? List.<String>of() : cidrs) {
      out.add(Cidr.parse(cidr).toString());
    }
    return out;
  }

  private static List<String> union(List<String> a, List<String> b) {
    Set<String> all = new LinkedHashSet<>(a);
    all.addAll(b);
    return List.copyOf(all);
  }

  private static List<String> minus(List<String> a, List<String> b) {
    return a.stream().filter(c -> !b.contains(c)).toList();
  }
}
