package dev.replcert.orchestrator.drpc;

import static dev.replcert.orchestrator.drpc.DrpcHub.EAST;
import static dev.replcert.orchestrator.drpc.DrpcHub.WEST;
import static dev.replcert.orchestrator.testing.ConditionAssert.condition;
import static dev.replcert.orchestrator.testing.MockApi.until;
import static org.assertj.core.api.Assertions.assertThat;

import dev.replcert.orchestrator.drpc.DrpcHub.Seen;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.open_cluster_management.cluster.v1beta1.Placement;
import io.open_cluster_management.work.v1.ManifestWork;
import io.openshift.ramendr.v1alpha1.DRPlacementControl;
import io.openshift.ramendr.v1alpha1.VolumeReplicationGroup;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Initial deployment of a DRPC: works, views, placement decision, status. */
class DrpcDeployTest {

  private DrpcHub hub;

  @BeforeEach
  void start() {
    hub = new DrpcHub("5m");
  }

  @AfterEach
  void stop() {
    hub.close();
  }

  @Test
  void deployPutsThePrimaryOnThePreferredClusterAndASecondaryOnThePeer() {
    hub.createApp("app", EAST);
    DRPlacementControl drpc = hub.waitFor("app", "Deployed", "Completed");

    // phases and progressions in Ramen's order
    List<Seen> history = hub.history("app");
    assertThat(history)
        .as("history %s", history)
        .containsSubsequence(
            new Seen("Deploying", "CreatingMW"),
            new Seen("Deploying", "UpdatingPlRule"),
            new Seen("Deployed", "Cleaning Up"),
            new Seen("Deployed", "Completed"));

    // the primary VRG on east, as Ramen's generateVRG makes it
    VolumeReplicationGroup primary = hub.deliveredVrg(EAST, "app");
    assertThat(primary.getApiVersion()).isEqualTo("ramendr.openshift.io/v1alpha1");
    assertThat(primary.getKind()).isEqualTo("VolumeReplicationGroup");
    assertThat(primary.getMetadata().getName()).isEqualTo("app-drpc");
    assertThat(primary.getMetadata().getNamespace()).isEqualTo("app");
    assertThat(primary.getSpec().getReplicationState().getValue()).isEqualTo("primary");
    assertThat(primary.getSpec().getPvcSelector().getMatchLabels()).containsEntry("app", "app");
    assertThat(primary.getSpec().getS3Profiles()).containsExactly("s3-east", "s3-west");
    assertThat(primary.getSpec().getAsync().getSchedulingInterval()).isEqualTo("5m");
    assertThat(primary.getSpec().getAsync().getReplicationClassSelector().getMatchLabels())
        .containsEntry("class", "replcert");
    assertThat(primary.getSpec().getSync()).isNull();
    assertThat(primary.getSpec().getAction()).isNull();
    ManifestWork work = hub.work(EAST, DrpcHub.vrgWork("app"));
    assertThat(work.getMetadata().getLabels()).containsEntry("app", "VRG");
    assertThat(work.getMetadata().getAnnotations())
        .containsEntry("drplacementcontrol.ramendr.openshift.io/drpc-name", "app-drpc")
        .containsEntry("drplacementcontrol.ramendr.openshift.io/drpc-namespace", "app");
    // the namespace goes in its own work, as Ramen's ensureNamespaceManifestWork does
    for (String c : List.of(EAST, WEST)) {
      List<GenericKubernetesResource> ns =
          hub.work(c, DrpcHub.nsWork("app")).getSpec().getWorkload().getManifests();
      assertThat(ns).hasSize(1);
      assertThat(ns.get(0).getKind()).isEqualTo("Namespace");
      assertThat(ns.get(0).getMetadata().getName()).isEqualTo("app");
    }
    // the secondary on west
    VolumeReplicationGroup secondary = hub.deliveredVrg(WEST, "app");
    assertThat(secondary.getSpec().getReplicationState().getValue()).isEqualTo("secondary");
    // read back by views scoped on the VRG
    for (String c : List.of(EAST, WEST)) {
      var scope = hub.view(c, DrpcHub.vrgView("app")).getSpec().getScope();
      assertThat(List.of(scope.getKind(), scope.getApiGroup(), scope.getVersion(),
              scope.getName(), scope.getNamespace()))
          .containsExactly("VolumeReplicationGroup", "ramendr.openshift.io", "v1alpha1",
              "app-drpc", "app");
    }
    // placement: Ramen's decision, scheduling disabled
    assertThat(hub.decision("app")).isEqualTo(EAST);
    Placement placement =
        hub.client.resources(Placement.class).inNamespace("app").withName("app-placement").get();
    assertThat(placement.getMetadata().getAnnotations())
        .containsEntry("cluster.open-cluster-management.io/experimental-scheduling-disable", "true");
    var decision =
        hub.client.resources(io.open_cluster_management.cluster.v1beta1.PlacementDecision.class)
            .inNamespace("app").withName("app-placement-decision-1").get();
    assertThat(decision.getMetadata().getLabels())
        .containsEntry("cluster.open-cluster-management.io/placement", "app-placement");

    // status
    Long gen = drpc.getMetadata().getGeneration();
    assertThat(drpc.getMetadata().getFinalizers()).contains("drpc.ramendr.openshift.io/finalizer");
    assertThat(drpc.getStatus().getObservedGeneration()).isEqualTo(gen);
    assertThat(drpc.getStatus().getPreferredDecision().getClusterName()).isEqualTo(EAST);
    assertThat(drpc.getStatus().getActionStartTime()).isNotNull();
    assertThat(drpc.getStatus().getActionDuration()).isNotNull();
    condition("drpc", drpc.getStatus().getConditions(), gen, "Available", "True", "Deployed");
    condition("drpc", drpc.getStatus().getConditions(), gen, "PeerReady", "True", "Success");
    condition("drpc", drpc.getStatus().getConditions(), gen, "Protected", "True", "Protected");
    // lastGroupSync* and the VRG's conditions copied from the VRG on the placement cluster
    assertThat(drpc.getStatus().getLastGroupSyncTime())
        .isEqualTo(hub.player.of(EAST).lastGroupSyncTime);
    assertThat(drpc.getStatus().getLastGroupSyncDuration()).isEqualTo("12s");
    assertThat(drpc.getStatus().getLastGroupSyncBytes()).isEqualTo(4096L);
    var rc = drpc.getStatus().getResourceConditions();
    assertThat(rc.getResourceMeta().getKind()).isEqualTo("VolumeReplicationGroup");
    assertThat(rc.getResourceMeta().getName()).isEqualTo("app-drpc");
    assertThat(rc.getResourceMeta().getProtectedpvcs()).containsExactly("data");
    assertThat(rc.getConditions()).extracting(c -> c.getType())
        .contains("DataReady", "DataProtected", "ClusterDataReady", "ClusterDataProtected");
    assertThat(hub.mostPrimaries("app")).isEqualTo(1);
  }

  @Test
  void aNewerLastGroupSyncTimeIsCopied() {
    hub.createApp("app", EAST);
    hub.waitFor("app", "Deployed", "Completed");
    var later = hub.player.of(EAST).lastGroupSyncTime.plusMinutes(5);
    hub.player.of(EAST).lastGroupSyncTime = later;
    // the VRG's status changes without a new generation; the view follows, the DRPC copies
    until("lastGroupSyncTime copied", () -> hub.drpc("app"),
        d -> assertThat(d.getStatus().getLastGroupSyncTime()).isEqualTo(later));
  }

  @Test
  void deployWaitsForReadinessBeforeClaimingDeployed() {
    hub.player.of(EAST).primaryReady = false;
    hub.createApp("app", EAST);
    DRPlacementControl drpc = hub.waitFor("app", "Deploying", "WaitForReadiness");
    condition("drpc", drpc.getStatus().getConditions(), drpc.getMetadata().getGeneration(),
        "Available", "False", "Deploying");
    assertThat(hub.deliveredVrg(WEST, "app")).as("no secondary before the primary is ready").isNull();
    hub.player.of(EAST).primaryReady = true;
    hub.waitFor("app", "Deployed", "Completed");
  }
}
