package dev.replcert.lab;

import static dev.replcert.lab.LabDr.check;
import static dev.replcert.lab.LabDr.decisions;
import static dev.replcert.lab.LabDr.json;
import static dev.replcert.lab.LabOrchestratorTest.CLASS_LABEL;
import static dev.replcert.lab.LabOrchestratorTest.NS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.replcert.harness.spi.DisasterInjector;
import dev.replcert.harness.spi.Environment;
import dev.replcert.refdriver.Defect;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.open_cluster_management.work.v1.ManifestWork;
import io.openshift.ramendr.v1alpha1.DRPlacementControl;
import io.openshift.ramendr.v1alpha1.DRPlacementControlSpec.Action;
import io.openshift.ramendr.v1alpha1.VolumeReplicationGroup;
import io.openshift.storage.replication.v1alpha1.VolumeReplication;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Orchestrator-facing driver defects make the bundled orchestrator stop in Ramen's documented
 * progression instead of going on: the lab runs the DRPC controller on its hub against a driver
 * carrying the defect (as layer 1's self-certification switches defects on).
 */
class LabDrpcDefectTest {

  static final String APP = "app";
  private static final Duration WAIT = Duration.ofSeconds(30);
  /** How long the DRPC must stay where it stopped: several demote deadlines of the lab. */
  private static final Duration HELD = Duration.ofSeconds(12);

  @Test
  void aDemoteThatHangsHoldsTheRelocateAtEnsuringVolumesAreSecondaryAndNeverPromotesTheTarget() {
    try (Environment lab = LabEnvironmentTest.start(Map.of(LabSettings.DEFECTS, Defect.DEMOTE_HANGS.name()))) {
      LabOrchestratorTest.Lab l = deployed(lab);
      KubernetesClient east = l.east;
      AtomicReference<String> sync = new AtomicReference<>();
      check("DRPC lastGroupSync* copied from east's VRG (driver -> VR -> VRG -> view -> DRPC)", Duration.ZERO, WAIT,
          sync, () -> {
            var s = drpc(l.hub).getStatus();
            sync.set(s.getLastGroupSyncTime() + " " + s.getLastGroupSyncDuration() + " " + s.getLastGroupSyncBytes());
            return s.getLastGroupSyncTime() != null && s.getLastGroupSyncDuration() != null
                && s.getLastGroupSyncBytes() != null;
          });

      LabDr.act(l.hub, Action.RELOCATE, "west");
      // the application's delivery: once the placement is cleared the app leaves east
      awaitDrpc(l.hub, "Relocating", "EnsuringVolumesAreSecondary");
      east.persistentVolumeClaims().inNamespace(NS).withName("data").delete();
      AtomicReference<String> seen = new AtomicReference<>();
      check("east's VR asked to demote", Duration.ZERO, WAIT, seen, () -> {
        VolumeReplication vr = east.resources(VolumeReplication.class).inNamespace(NS).withName("data").get();
        seen.set(vr == null ? "no VR" : json(vr.getSpec()) + " " + json(vr.getStatus()));
        return vr != null && "secondary".equals(vr.getSpec().getReplicationState().getValue());
      });

      check("DRPC held at Relocating/EnsuringVolumesAreSecondary, west's work secondary, east's VR there",
          HELD, HELD.plusSeconds(10), seen, () -> {
            DRPlacementControl d = drpc(l.hub);
            VolumeReplicationGroup westVrg = workVrg(l.hub, "west");
            VolumeReplication vr = east.resources(VolumeReplication.class).inNamespace(NS).withName("data").get();
            seen.set(d.getStatus().getPhase() + "/" + d.getStatus().getProgression() + ", west's work "
                + (westVrg == null ? null : westVrg.getSpec().getReplicationState()) + ", east's VR "
                + (vr == null ? null : json(vr.getStatus())));
            return "Relocating".equals(d.getStatus().getPhase())
                && "EnsuringVolumesAreSecondary".equals(d.getStatus().getProgression())
                && westVrg != null
                && "secondary".equals(westVrg.getSpec().getReplicationState().getValue())
                && vr != null;
          });

      // what holds it is the driver: the demote runs into the RPC deadline, again and again
      check("east's VR reports Completed False/FailedToDemote at its generation", Duration.ZERO,
          Duration.ofSeconds(40), seen, () -> {
            VolumeReplication vr = east.resources(VolumeReplication.class).inNamespace(NS).withName("data").get();
            seen.set(json(vr.getStatus()));
            return vr.getStatus() != null && vr.getStatus().getConditions() != null
                && vr.getStatus().getConditions().stream().anyMatch(c -> "Completed".equals(c.getType())
                    && "False".equals(c.getStatus()) && "FailedToDemote".equals(c.getReason())
                    && Objects.equals(c.getObservedGeneration(), vr.getMetadata().getGeneration()));
          });
      assertThat(drpc(l.hub).getStatus().getProgression()).isEqualTo("EnsuringVolumesAreSecondary");
      assertThat(workVrg(l.hub, "west").getSpec().getReplicationState().getValue()).isEqualTo("secondary");
      VolumeReplicationGroup eastVrg = east.resources(VolumeReplicationGroup.class).inNamespace(NS).withName(APP).get();
      assertThat(eastVrg.getStatus().getState()).as("east's VRG is not Secondary").isNotEqualTo("Secondary");
      Condition available = LabDr.condition(drpc(l.hub).getStatus().getConditions(), "Available").orElseThrow();
      assertThat(available.getStatus() + "/" + available.getReason()).isEqualTo("False/Relocating");
    }
  }

  /**
   * Ramen moves the placement only once the target's VRG is ready (reference/ramen.md §2; moving it
   * earlier starts the application on volumes that are not there, #1446). A driver whose force
   * promote fails like an unforced one with the peer down must therefore hold the failover at
   * FailingOver/WaitingForResourceRestore, with the PlacementDecision still on east and west's VRG
   * never Primary.
   */
  @Test
  void aForcePromoteTheDriverRefusesHoldsTheFailoverBeforeThePlacementMoves() {
    try (Environment lab = LabEnvironmentTest.start(Map.of(LabSettings.DEFECTS, Defect.FORCE_IGNORED.name()))) {
      LabOrchestratorTest.Lab l = deployed(lab);
      AtomicReference<String> seen = new AtomicReference<>();
      check("DRPC PeerReady and a first group sync (the PV and PVC are in both S3 stores)", Duration.ZERO, WAIT,
          seen, () -> {
            var s = drpc(l.hub).getStatus();
            seen.set(json(s));
            return s.getLastGroupSyncTime() != null && s.getConditions() != null
                && s.getConditions().stream().anyMatch(c -> "PeerReady".equals(c.getType())
                    && "True".equals(c.getStatus()));
          });

      lab.client(DisasterInjector.class, Optional.empty()).orElseThrow().takeDown("east");
      LabDr.act(l.hub, Action.FAILOVER, "west");
      KubernetesClient west = lab.client(KubernetesClient.class, Optional.of("west")).orElseThrow();
      // what holds it is the driver: west's restored claim gets a primary VR whose promote fails
      check("west's VR for the restored claim reports Completed False/FailedToPromote at its generation",
          Duration.ZERO, WAIT, seen, () -> {
            VolumeReplication vr = west.resources(VolumeReplication.class).inNamespace(NS).withName("data").get();
            seen.set(vr == null ? "no VR on west; DRPC " + json(drpc(l.hub).getStatus()) : json(vr.getSpec()) + " " + json(vr.getStatus()));
            return vr != null && vr.getStatus() != null && vr.getStatus().getConditions() != null
                && vr.getStatus().getConditions().stream().anyMatch(c -> "Completed".equals(c.getType())
                    && "False".equals(c.getStatus()) && "FailedToPromote".equals(c.getReason())
                    && Objects.equals(c.getObservedGeneration(), vr.getMetadata().getGeneration()));
          });
      check("DRPC held at FailingOver/WaitingForResourceRestore, placed on east, west's VRG not Primary",
          HELD, HELD.plusSeconds(10), seen, () -> {
            DRPlacementControl d = drpc(l.hub);
            VolumeReplicationGroup westVrg = west.resources(VolumeReplicationGroup.class).inNamespace(NS).withName(APP).get();
            List<String> placed = decisions(l.hub);
            seen.set(d.getStatus().getPhase() + "/" + d.getStatus().getProgression() + ", placed on " + placed
                + ", west's VRG " + (westVrg == null ? null : json(westVrg.getStatus())));
            return "FailingOver".equals(d.getStatus().getPhase())
                && "WaitingForResourceRestore".equals(d.getStatus().getProgression())
                && placed.equals(List.of("east"))
                && westVrg != null && westVrg.getStatus() != null
                && !"Primary".equals(westVrg.getStatus().getState());
          });
      Condition available = LabDr.condition(drpc(l.hub).getStatus().getConditions(), "Available").orElseThrow();
      assertThat(available.getStatus() + "/" + available.getReason()).isEqualTo("False/FailingOver");
    }
  }

  /**
   * Ramen judges an async VRG that reports no lastGroupSyncTime as not protected
   * (protected_condition.go): Protected False/Progressing "is not reporting any lastGroupSyncTime",
   * and its e2e never calls such an application ready. A driver that applies syncs but never
   * reports last_sync_time must therefore leave the deployed DRPC there, with nothing in its
   * lastGroupSyncTime, while its VR and VRG are otherwise healthy.
   */
  @Test
  void aDriverThatNeverReportsLastSyncTimeLeavesTheDeployedApplicationUnprotected() {
    try (Environment lab = LabEnvironmentTest.start(Map.of(LabSettings.DEFECTS, Defect.LAST_SYNC_TIME_MISSING.name()))) {
      LabOrchestratorTest.Lab l = deployed(lab);
      AtomicReference<String> seen = new AtomicReference<>();
      check("east's VR promoted and replicating healthy, with no lastSyncTime", Duration.ZERO, WAIT, seen, () -> {
        VolumeReplication vr = l.east.resources(VolumeReplication.class).inNamespace(NS).withName("data").get();
        seen.set(vr == null ? "no VR" : json(vr.getStatus()));
        return vr != null && vr.getStatus() != null && vr.getStatus().getLastSyncTime() == null
            && LabDr.is(vr.getStatus().getConditions(), "Completed", "True")
            && LabDr.is(vr.getStatus().getConditions(), "Replicating", "True");
      });

      check("DRPC held Deployed/Completed, Protected False/Progressing for want of a lastGroupSyncTime, none copied",
          HELD, HELD.plusSeconds(10), seen, () -> {
            var s = drpc(l.hub).getStatus();
            seen.set(json(s));
            return "Deployed".equals(s.getPhase()) && "Completed".equals(s.getProgression())
                && s.getLastGroupSyncTime() == null
                && LabDr.condition(s.getConditions(), "Protected")
                    .filter(c -> "False".equals(c.getStatus()) && "Progressing".equals(c.getReason())
                        && c.getMessage().contains("lastGroupSyncTime"))
                    .isPresent();
          });
      VolumeReplicationGroup eastVrg = l.east.resources(VolumeReplicationGroup.class).inNamespace(NS).withName(APP).get();
      assertThat(eastVrg.getStatus().getState()).as("east's VRG is Primary all the same").isEqualTo("Primary");
      assertThat(eastVrg.getStatus().getLastGroupSyncTime()).as("east's VRG lastGroupSyncTime").isNull();
    }
  }

  /** The lab's classes, claim "data" on east and its DRPC, once Deployed/Completed. */
  private static LabOrchestratorTest.Lab deployed(Environment lab) {
    LabOrchestratorTest.Lab l = new LabOrchestratorTest.Lab(lab);
    l.classes();
    l.claim("data");
    protect(l.hub);
    awaitDrpc(l.hub, "Deployed", "Completed");
    return l;
  }

  /** DRClusters, a DRPolicy over both (1m, the lab's class), the app's Placement and its DRPC on east. */
  static void protect(KubernetesClient hub) {
    protect(hub, Map.of());
  }

  /** As {@link #protect(KubernetesClient)}, the DRPC annotated with {@code drpcAnnotations}. */
  static void protect(KubernetesClient hub, Map<String, String> drpcAnnotations) {
    hub.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build()).create();
    String yaml = """
        apiVersion: ramendr.openshift.io/v1alpha1
        kind: DRCluster
        metadata: {name: %1$s}
        spec: {s3ProfileName: s3-%1$s}
        """;
    for (String site : LabEnvironment.SITES) {
      hub.resource(hub.getKubernetesSerialization().unmarshal(yaml.formatted(site), io.openshift.ramendr.v1alpha1.DRCluster.class)).create();
    }
    hub.resource(hub.getKubernetesSerialization().unmarshal("""
        apiVersion: ramendr.openshift.io/v1alpha1
        kind: DRPolicy
        metadata: {name: lab-1m}
        spec:
          drClusters: [east, west]
          schedulingInterval: 1m
          replicationClassSelector: {matchLabels: {%s: lab-1m}}
        """.formatted(CLASS_LABEL), io.openshift.ramendr.v1alpha1.DRPolicy.class)).create();
    hub.resource(hub.getKubernetesSerialization().unmarshal("""
        apiVersion: cluster.open-cluster-management.io/v1beta1
        kind: Placement
        metadata:
          name: %1$s
          namespace: %2$s
          annotations: {cluster.open-cluster-management.io/experimental-scheduling-disable: "true"}
        spec: {numberOfClusters: 1}
        """.formatted(APP, NS), io.open_cluster_management.cluster.v1beta1.Placement.class)).create();
    DRPlacementControl drpc = hub.getKubernetesSerialization().unmarshal("""
        apiVersion: ramendr.openshift.io/v1alpha1
        kind: DRPlacementControl
        metadata: {name: %1$s, namespace: %2$s}
        spec:
          preferredCluster: east
          drPolicyRef: {name: lab-1m}
          placementRef: {kind: Placement, apiVersion: cluster.open-cluster-management.io/v1beta1, name: %1$s, namespace: %2$s}
          pvcSelector: {matchLabels: {app: busybox}}
        """.formatted(APP, NS), DRPlacementControl.class);
    if (!drpcAnnotations.isEmpty()) {
      drpc.getMetadata().setAnnotations(drpcAnnotations);
    }
    hub.resource(drpc).create();
  }

  static DRPlacementControl drpc(KubernetesClient hub) {
    return hub.resources(DRPlacementControl.class).inNamespace(NS).withName(APP).get();
  }

  /** Waits for the DRPC's phase and progression; a timeout shows its last status. */
  private static void awaitDrpc(KubernetesClient hub, String phase, String progression) {
    AtomicReference<String> seen = new AtomicReference<>();
    check("DRPC " + phase + "/" + progression, Duration.ZERO, WAIT, seen, () -> {
      DRPlacementControl d = drpc(hub);
      seen.set(d == null ? "no DRPC" : json(d.getStatus()));
      return d != null && d.getStatus() != null && phase.equals(d.getStatus().getPhase())
          && progression.equals(d.getStatus().getProgression());
    });
  }

  /** The VRG the hub's work delivers to {@code cluster}. */
  private static VolumeReplicationGroup workVrg(KubernetesClient hub, String cluster) {
    ManifestWork work = hub.resources(ManifestWork.class).inNamespace(cluster).withName(APP + "-" + NS + "-vrg-mw").get();
    return work == null ? null
        : hub.getKubernetesSerialization().convertValue(work.getSpec().getWorkload().getManifests().get(0),
            VolumeReplicationGroup.class);
  }
}
