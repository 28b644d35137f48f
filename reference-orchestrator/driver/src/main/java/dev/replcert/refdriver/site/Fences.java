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
 * refused. Persisted in {@code site.json}; fence and unfence are idempotent.
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
    store.setState(new SiteState(union(state.fencedCidrs(), add), union(state.enforcedCidrs(), add)));
  }

  synchronized void unfence(List<String> cidrs) {
    List<String> remove = canonical(cidrs);
    SiteState state = store.state();
    List<String> fenced = minus(state.fencedCidrs(), remove);
    // the defect reports the ranges unfenced but keeps refusing them
    List<String> enforced =
        options.has(Defect.UNFENCE_NOT_RESTORING) ? state.enforcedCidrs() : minus(state.enforcedCidrs(), remove);
    store.setState(new SiteState(fenced, enforced));
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
