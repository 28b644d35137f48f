package dev.replcert.layer2.splitbrain;

import dev.replcert.api.k8s.CsiAddons;
import dev.replcert.api.k8s.Ramen;
import dev.replcert.harness.config.TimeoutOperation;
import dev.replcert.layer2.fixture.ClusterState;
import dev.replcert.layer2.fixture.DrFixture;
import io.fabric8.kubernetes.api.model.Condition;
import io.openshift.ramendr.v1alpha1.VolumeReplicationGroup;
import io.openshift.ramendr.v1alpha1.VolumeReplicationGroupSpec;
import io.openshift.storage.replication.v1alpha1.VolumeReplication;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.awaitility.Awaitility;

/**
 * The old primary VRG put back on a cluster that was failed over from, as a stale ManifestWork
 * would apply it (a hub restored from an old backup, an agent replaying the manifest it last
 * applied): once the hub's demotion has reached the cluster (its VRG Secondary), the VRG's spec is
 * set back to primary without an action, as it was deployed. OCM's agent re-applies a work only
 * when the hub's manifest changes, so the stale spec stays until {@link #undo} (also the cleanup).
 */
public final class StalePrimary {

  private final DrFixture dr;
  private final ClusterState cluster;
  private final VolumeReplicationGroupSpec current;
  private final Instant at;

  private StalePrimary(DrFixture dr, ClusterState cluster, VolumeReplicationGroupSpec current, Instant at) {
    this.dr = dr;
    this.cluster = cluster;
    this.current = current;
    this.at = at;
  }

  /** Waits until the cluster's VRG reports Secondary for the hub's spec, then writes the stale primary spec. */
  public static StalePrimary reapply(DrFixture dr, ClusterState cluster, TimeoutOperation limit) {
    VolumeReplicationGroup demoted = dr.waits().until(cluster.site().name()
            + "'s VRG carries the hub's demotion (spec secondary) and reports Secondary at its generation", limit,
        cluster::vrg, v -> v != null && v.getSpec().getReplicationState() == VolumeReplicationGroupSpec.ReplicationState.SECONDARY
            && v.getStatus() != null && Ramen.VrgState.SECONDARY.wire().equals(v.getStatus().getState())
            && Objects.equals(v.getStatus().getObservedGeneration(), v.getMetadata().getGeneration()));
    VolumeReplicationGroupSpec hubs = dr.hub().client().getKubernetesSerialization()
        .clone(demoted.getSpec());
    vrg(dr, cluster).edit(v -> {
      v.getSpec().setReplicationState(VolumeReplicationGroupSpec.ReplicationState.PRIMARY);
      v.getSpec().setAction(null);
      return v;
    });
    StalePrimary stale = new StalePrimary(dr, cluster, hubs, Instant.now());
    dr.tracker().track("put the hub's VRG spec back on " + cluster.site().name(), stale::undo);
    dr.evidence().attach("stale primary VRG re-applied on " + cluster.site().name(),
        "at " + stale.at + " over the hub's spec " + hubs);
    return stale;
  }

  public Instant at() {
    return at;
  }

  /**
   * For the whole {@code window} the cluster's VRG must not report Primary while every VR is
   * primary with Completed=True at its generation, nor may {@code alsoNever} (e.g. the driver
   * answering primary) be seen; the first observation that breaks it fails at once, with all
   * observations so far. Returns them when the window held.
   */
  public String assertNoPrimaryFor(Duration window, java.util.function.Supplier<String> alsoNever) {
    List<String> log = new ArrayList<>();
    Duration poll = dr.waits().timeout(TimeoutOperation.POLL);
    Awaitility.await(cluster.site().name() + "'s stale primary VRG never becomes a primary")
        .during(window)
        .atMost(window.multipliedBy(2).plus(poll.multipliedBy(5)))
        .pollInterval(poll)
        .until(() -> {
          String line = Instant.now() + " " + cluster.describe();
          log.add(line);
          String other = alsoNever.get();
          if (primaryWithCompletedVrs() || other != null) {
            throw new AssertionError(cluster.site().name() + "'s VRG re-applied as primary at " + at
                + " became a primary (VRG Primary over Completed primary VRs, or: " + other + "); observed:\n"
                + String.join("\n", log));
          }
          return true;
        });
    return String.join("\n", log);
  }

  private boolean primaryWithCompletedVrs() {
    if (!Ramen.VrgState.PRIMARY.wire().equals(cluster.vrgState())) {
      return false;
    }
    List<VolumeReplication> vrs = cluster.vrs();
    return !vrs.isEmpty() && vrs.stream().allMatch(StalePrimary::completedPrimary);
  }

  private static boolean completedPrimary(VolumeReplication vr) {
    if (vr.getSpec().getReplicationState() == null
        || !CsiAddons.ReplicationState.PRIMARY.wire().equals(vr.getSpec().getReplicationState().getValue())
        || vr.getStatus() == null || vr.getStatus().getConditions() == null) {
      return false;
    }
    for (Condition c : vr.getStatus().getConditions()) {
      if (CsiAddons.ConditionType.COMPLETED.wire().equals(c.getType()) && "True".equals(c.getStatus())
          && Objects.equals(c.getObservedGeneration(), vr.getMetadata().getGeneration())) {
        return true;
      }
    }
    return false;
  }

  /** Puts the hub's spec back, as the hub's next apply would. */
  public void undo() {
    VolumeReplicationGroup v = vrg(dr, cluster).get();
    if (v != null && v.getSpec().getReplicationState() != current.getReplicationState()) {
      vrg(dr, cluster).edit(x -> {
        x.setSpec(current);
        return x;
      });
    }
  }

  private static io.fabric8.kubernetes.client.dsl.Resource<VolumeReplicationGroup> vrg(DrFixture dr,
      ClusterState cluster) {
    return cluster.site().client().resources(VolumeReplicationGroup.class).inNamespace(dr.namespace())
        .withName(cluster.vrg().getMetadata().getName());
  }

}
