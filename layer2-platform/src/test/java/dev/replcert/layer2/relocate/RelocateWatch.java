package dev.replcert.layer2.relocate;

import dev.replcert.layer2.fixture.DrFixture;
import dev.replcert.layer2.fixture.ManagedSite;
import dev.replcert.layer2.fixture.VrgStatus;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.Watchable;
import io.openshift.ramendr.v1alpha1.DRPlacementControl;
import io.openshift.ramendr.v1alpha1.VolumeReplicationGroup;
import io.openshift.storage.replication.v1alpha1.VolumeReplication;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * Every change during a relocate, in the order the test received it, from watches (not polls: a
 * VolumeReplication is demoted and deleted within one VRG pass, faster than any poll): the DRPC's
 * progression, each cluster's VRG spec and state, east's and west's VRs, and which clusters run
 * application pods. Changes on different clusters are ordered by arrival; the orchestrator acts on
 * one cluster only after reading the other through a view, so the order of causally related
 * changes is the order of arrival.
 */
final class RelocateWatch implements AutoCloseable {

  /** One change: when it arrived, where, what it now says. */
  record Event(long sequence, Instant at, String source, String value) {
    @Override
    public String toString() {
      return "#" + sequence + " " + at + " " + source + " " + value;
    }
  }

  private final List<Event> events = new ArrayList<>();
  private final Map<String, String> last = new HashMap<>();
  private final Map<String, Set<String>> runningPods = new HashMap<>();
  private final List<String> bothRunning = new ArrayList<>();
  private final List<Watch> watches = new ArrayList<>();

  RelocateWatch(DrFixture dr, String drpc) {
    String ns = dr.namespace();
    watch(dr.hub().client().resources(DRPlacementControl.class).inNamespace(ns).withName(drpc),
        (action, d) -> change("drpc progression", d.getStatus() == null ? null : d.getStatus().getProgression()));
    for (ManagedSite site : dr.sites()) {
      String name = site.name();
      runningPods.put(name, new HashSet<>());
      watch(site.client().resources(VolumeReplicationGroup.class).inNamespace(ns).withName(drpc),
          (action, v) -> {
            VrgStatus vrg = new VrgStatus(name, action == Watcher.Action.DELETED ? null : v);
            change("vrg/" + name + " spec", vrg.desired());
            change("vrg/" + name + " state", vrg.state() + (vrg.conditionIs("DataProtected", "True", null)
                ? " DataProtected=True" : ""));
          });
      watch(site.client().resources(VolumeReplication.class).inNamespace(ns),
          (action, vr) -> change("vr/" + name + "/" + vr.getMetadata().getName(), action == Watcher.Action.DELETED
              ? "deleted" : vr.getSpec().getReplicationState().getValue() + " " + completed(vr)));
      watch(site.client().pods().inNamespace(ns), (action, pod) -> pod(name, action, pod));
    }
  }

  private static String completed(VolumeReplication vr) {
    return vr.getStatus() == null || vr.getStatus().getConditions() == null ? "no status"
        : vr.getStatus().getConditions().stream()
            .filter(c -> "Completed".equals(c.getType())
                && Objects.equals(c.getObservedGeneration(), vr.getMetadata().getGeneration()))
            .map(c -> "Completed=" + c.getStatus() + "/" + c.getReason()).findFirst().orElse("not completed");
  }

  /** Application pods only: the verifier pods a test starts are not the application. */
  private synchronized void pod(String site, Watcher.Action action, Pod pod) {
    if (!pod.getMetadata().getName().endsWith("-writer")) {
      return;
    }
    Set<String> running = runningPods.get(site);
    boolean up = action != Watcher.Action.DELETED && pod.getStatus() != null
        && "Running".equals(pod.getStatus().getPhase());
    if (up) {
      running.add(pod.getMetadata().getName());
    } else {
      running.remove(pod.getMetadata().getName());
    }
    change("pods/" + site + " running", running.stream().sorted().toList().toString());
    if (runningPods.values().stream().allMatch(s -> !s.isEmpty())) {
      bothRunning.add(Instant.now() + " " + runningPods);
    }
  }

  private synchronized void change(String source, String value) {
    if (!Objects.equals(last.put(source, value), value)) {
      events.add(new Event(events.size(), Instant.now(), source, value));
    }
  }

  private <T extends HasMetadata> void watch(Watchable<T> target, BiConsumer<Watcher.Action, T> on) {
    watches.add(target.watch(new Watcher<T>() {
      @Override
      public void eventReceived(Action action, T resource) {
        on.accept(action, resource);
      }

      @Override
      public void onClose(WatcherException cause) {
        change("watch", "closed: " + cause.getMessage());
      }
    }));
  }

  synchronized List<Event> events() {
    return List.copyOf(events);
  }

  /** The first event of that source whose value satisfies the test, if any. */
  synchronized Event first(String source, java.util.function.Predicate<String> value) {
    return events.stream().filter(e -> e.source().equals(source) && value.test(e.value())).findFirst().orElse(null);
  }

  /** Moments application pods ran on both clusters at once (with what ran). */
  synchronized List<String> bothRunning() {
    return List.copyOf(bothRunning);
  }

  /** The DRPC's progressions in order. */
  synchronized List<String> progressions() {
    return events.stream().filter(e -> e.source().equals("drpc progression")).map(Event::value).toList();
  }

  @Override
  public void close() {
    watches.forEach(Watch::close);
  }
}
