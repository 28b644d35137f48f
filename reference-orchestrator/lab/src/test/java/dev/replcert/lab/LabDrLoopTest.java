package dev.replcert.lab;

import static dev.replcert.lab.LabDr.check;
import static dev.replcert.lab.LabDr.condition;
import static dev.replcert.lab.LabDr.decisions;
import static dev.replcert.lab.LabDr.is;
import static dev.replcert.lab.LabDr.json;
import static dev.replcert.lab.LabOrchestratorTest.NS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.replcert.harness.config.TimeoutProfile;
import dev.replcert.harness.config.VolumeMode;
import dev.replcert.harness.config.WorkloadConfig;
import dev.replcert.harness.spi.Environment;
import dev.replcert.harness.track.ResourceTracker;
import dev.replcert.harness.workload.Verification;
import dev.replcert.harness.workload.WriterHandle;
import dev.replcert.harness.workload.WriterReport;
import dev.replcert.harness.workload.pod.PodWorkloads;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.openshift.ramendr.v1alpha1.DRPlacementControl;
import io.openshift.ramendr.v1alpha1.DRPlacementControlSpec.Action;
import io.openshift.ramendr.v1alpha1.VolumeReplicationGroup;
import io.openshift.storage.replication.v1alpha1.VolumeReplication;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The bundled orchestrator through a whole DR life on the reference driver, as Ramen's e2e drives
 * Ramen (deploy, failover, relocate; planned, both clusters up) but checking the data too: deploy
 * on east, fail over to west, relocate back to east (the failback), twice. Before each action a
 * writer pod on the active cluster continues one data run, stops, and one group sync after its last
 * record is awaited, so no acknowledged record may be missing afterwards.
 *
 * <p>After every step: the DRPC's phase, progression and conditions (Ramen e2e's "ready":
 * Available and PeerReady True, progression Completed, a lastGroupSyncTime; and Protected True);
 * the VRG on each cluster (Primary where the application runs, Secondary where it left); the VR
 * (primary and promoted where it runs, gone where it left); the PV and PVC objects in both S3
 * stores, decoded, against the live ones; and every record of the data run on the active
 * cluster, read back by a verifier pod.
 */
class LabDrLoopTest {

  private static final String CLAIM = "data";
  private static final String RUN = "dr-loop";
  /** Records written between two actions (100 per second). */
  private static final long RECORDS_PER_STEP = 60;
  private static final Duration STEP = Duration.ofSeconds(90);
  private static final Duration SYNC = Duration.ofSeconds(30);
  private static final String APP = LabDrpcDefectTest.APP;

  @Test
  void deployFailoverAndFailbackTwiceKeepEveryAcknowledgedRecordOnTheActiveCluster() {
    ResourceTracker tracker = new ResourceTracker("LabDrLoopTest");
    try (Environment lab = LabEnvironmentTest.start(Map.of())) {
      try {
        LabOrchestratorTest.Lab l = new LabOrchestratorTest.Lab(lab);
        Map<String, KubernetesClient> clusters = Map.of("east", l.east,
            "west", lab.client(KubernetesClient.class, Optional.of("west")).orElseThrow());
        Map<String, PodWorkloads> workloads = Map.of(
            "east", workloads(l.east, tracker), "west", workloads(clusters.get("west"), tracker));
        l.classes();
        l.claim(CLAIM, "16Mi");
        LabDrpcDefectTest.protect(l.hub);
        awaitReady(l.hub, "Deployed", "east");
        assertActive(l, clusters, "east", null);

        String active = "east";
        long next = 0;
        for (int round = 1; round <= 2; round++) {
          for (Action action : new Action[] {Action.FAILOVER, Action.RELOCATE}) {
            String target = active.equals("east") ? "west" : "east";
            WriterReport written = write(workloads.get(active), next);
            awaitSyncAfter(l.hub, written);
            LabDr.act(l.hub, action, target);
            leaveOncePlacementMoves(l.hub, active, clusters.get(active));
            awaitReady(l.hub, action == Action.FAILOVER ? "FailedOver" : "Relocated", target);
            assertActive(l, clusters, target, active);

            Verification found = workloads.get(target).verify(NS, CLAIM, VolumeMode.BLOCK, RUN);
            assertThat(found.isPrefixOf(written) && found.lastContiguous() == written.lastAcked())
                .as("round %d, %s to %s: %s holds every acknowledged record of the run: %s", round, action, target,
                    target, found.describe(written))
                .isTrue();
            active = target;
            next = written.lastAcked() + 1;
          }
        }
      } finally {
        tracker.cleanUp();
      }
    }
  }

  private static PodWorkloads workloads(KubernetesClient cluster, ResourceTracker tracker) {
    return new PodWorkloads(cluster, new WorkloadConfig(null, 512, 100), TimeoutProfile.named(TimeoutProfile.LAB),
        tracker, "lab-dr-loop");
  }

  /** Writes {@link #RECORDS_PER_STEP} records of the run from {@code first}, then stops the writer. */
  private static WriterReport write(PodWorkloads workloads, long first) {
    WriterHandle writer = workloads.continueWriter(NS, CLAIM, VolumeMode.BLOCK, RUN, first);
    AtomicReference<String> seen = new AtomicReference<>();
    check("the writer acknowledged records #" + first + "..#" + (first + RECORDS_PER_STEP - 1), SYNC, seen, () -> {
      WriterReport now = writer.progress();
      seen.set(now.toString());
      return now.lastAcked() >= first + RECORDS_PER_STEP - 1;
    });
    WriterReport stopped = writer.stop();
    assertThat(stopped.failure()).as("writer failure").isNull();
    return stopped;
  }

  /** Ramen e2e's "ready" after {@code phase}, and Protected True, with the placement on {@code cluster}. */
  private static void awaitReady(KubernetesClient hub, String phase, String cluster) {
    AtomicReference<String> seen = new AtomicReference<>();
    check("DRPC " + phase + "/Completed, Available, PeerReady and Protected True, a lastGroupSyncTime, placed on "
        + cluster, STEP, seen, () -> {
          DRPlacementControl d = LabDrpcDefectTest.drpc(hub);
          seen.set(d == null ? "no DRPC" : json(d.getStatus()) + ", placed on " + decisions(hub));
          if (d == null || d.getStatus() == null) {
            return false;
          }
          var s = d.getStatus();
          return phase.equals(s.getPhase()) && "Completed".equals(s.getProgression())
              && is(s.getConditions(), "Available", "True") && is(s.getConditions(), "PeerReady", "True")
              && is(s.getConditions(), "Protected", "True") && s.getLastGroupSyncTime() != null
              && decisions(hub).equals(List.of(cluster));
        });
    var s = LabDrpcDefectTest.drpc(hub).getStatus();
    Condition available = condition(s.getConditions(), "Available").orElseThrow();
    assertThat(available.getReason()).as("Available's reason is the phase").isEqualTo(phase);
    assertThat(condition(s.getConditions(), "PeerReady").orElseThrow().getReason()).isEqualTo("Success");
    // Ramen sets preferredDecision once, from the first preferredCluster, and never moves it
    assertThat(s.getPreferredDecision().getClusterName()).as("preferredDecision").isEqualTo("east");
  }

  /**
   * The application runs on {@code active}: VRG Primary protecting the claim, its VR primary and
   * promoted; the claim's PV and PVC in both S3 stores as they are live. Where it left ({@code
   * left}, if any): the VRG Secondary, and neither the VR nor the claim.
   */
  private static void assertActive(LabOrchestratorTest.Lab l, Map<String, KubernetesClient> clusters,
      String active, String left) {
    KubernetesClient here = clusters.get(active);
    AtomicReference<String> seen = new AtomicReference<>();
    check(active + "'s VRG Primary protecting " + CLAIM + ", its VR primary and Completed/Promoted", SYNC, seen,
        () -> {
          VolumeReplicationGroup vrg = here.resources(VolumeReplicationGroup.class).inNamespace(NS).withName(APP).get();
          VolumeReplication vr = here.resources(VolumeReplication.class).inNamespace(NS).withName(CLAIM).get();
          seen.set("VRG " + (vrg == null ? null : json(vrg.getStatus())) + "\nVR " + (vr == null ? null : json(vr)));
          return vrg != null && vrg.getStatus() != null && "Primary".equals(vrg.getStatus().getState())
              && Objects.equals(vrg.getStatus().getObservedGeneration(), vrg.getMetadata().getGeneration())
              && vrg.getStatus().getProtectedPVCs() != null
              && vrg.getStatus().getProtectedPVCs().stream().anyMatch(p -> CLAIM.equals(p.getName()))
              && vr != null && vr.getStatus() != null
              && "primary".equals(vr.getSpec().getReplicationState().getValue())
              && "Primary".equals(vr.getStatus().getState())
              && condition(vr.getStatus().getConditions(), "Completed")
                  .map(c -> "True".equals(c.getStatus()) && "Promoted".equals(c.getReason())).orElse(false);
        });
    PersistentVolumeClaim pvc = here.persistentVolumeClaims().inNamespace(NS).withName(CLAIM).get();
    PersistentVolume pv = here.persistentVolumes().withName(pvc.getSpec().getVolumeName()).get();
    for (String site : LabEnvironment.SITES) {
      check(site + "'s S3 holds " + CLAIM + "'s PV and PVC as they are live on " + active, SYNC, seen, () -> {
        try {
          PersistentVolume storedPv = l.s3Object(site, NS + "/" + APP + "/v1.PersistentVolume/" + pv.getMetadata().getName(),
              PersistentVolume.class);
          PersistentVolumeClaim storedPvc = l.s3Object(site,
              NS + "/" + APP + "/v1.PersistentVolumeClaim/" + NS + "/" + CLAIM, PersistentVolumeClaim.class);
          seen.set("PV " + json(storedPv.getSpec()) + "\nPVC " + json(storedPvc.getSpec()));
          return pv.getSpec().getCsi().getVolumeHandle().equals(storedPv.getSpec().getCsi().getVolumeHandle())
              && pv.getMetadata().getName().equals(storedPvc.getSpec().getVolumeName())
              && "busybox".equals(storedPvc.getMetadata().getLabels().get("app"));
        } catch (RuntimeException e) {
          seen.set(e.toString());
          return false;
        }
      });
    }
    if (left == null) {
      return;
    }
    KubernetesClient there = clusters.get(left);
    check(left + "'s VRG Secondary, its VR and claim gone", STEP, seen, () -> {
      VolumeReplicationGroup vrg = there.resources(VolumeReplicationGroup.class).inNamespace(NS).withName(APP).get();
      VolumeReplication vr = there.resources(VolumeReplication.class).inNamespace(NS).withName(CLAIM).get();
      PersistentVolumeClaim claim = there.persistentVolumeClaims().inNamespace(NS).withName(CLAIM).get();
      seen.set("VRG " + (vrg == null ? null : json(vrg.getStatus())) + "\nVR " + json(vr) + "\nPVC " + json(claim));
      return vrg != null && vrg.getStatus() != null && "Secondary".equals(vrg.getStatus().getState())
          && vr == null && claim == null;
    });
  }

  /** The DRPC shows a group sync taken after the writer's last acknowledged record. */
  private static void awaitSyncAfter(KubernetesClient hub, WriterReport written) {
    Instant last = written.lastAckedAt();
    AtomicReference<String> seen = new AtomicReference<>();
    check("DRPC lastGroupSyncTime after the writer's last record #" + written.lastAcked() + " (" + last + ")", SYNC,
        seen, () -> {
          ZonedDateTime time = LabDrpcDefectTest.drpc(hub).getStatus().getLastGroupSyncTime();
          seen.set(String.valueOf(time));
          return time != null && time.toInstant().isAfter(last);
        });
  }

  /**
   * The application's delivery, which the lab does not have: once the PlacementDecision no longer
   * names {@code site}, the application's claim leaves it (the writer is already stopped).
   */
  private static void leaveOncePlacementMoves(KubernetesClient hub, String site, KubernetesClient cluster) {
    AtomicReference<String> seen = new AtomicReference<>();
    check("PlacementDecision no longer names " + site, STEP, seen, () -> {
      seen.set(decisions(hub) + "; DRPC " + json(LabDrpcDefectTest.drpc(hub).getStatus()));
      return !decisions(hub).contains(site);
    });
    cluster.persistentVolumeClaims().inNamespace(NS).withName(CLAIM).delete();
  }
}
