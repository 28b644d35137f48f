package dev.replcert.orchestrator.vrg;

import static dev.replcert.orchestrator.vrg.VrgAssertions.condition;
import static dev.replcert.orchestrator.vrg.VrgAssertions.pvcCondition;
import static dev.replcert.orchestrator.vrg.VrgCluster.NS;
import static dev.replcert.orchestrator.vrg.VrgCluster.until;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.PodBuilder;
import io.openshift.ramendr.v1alpha1.VolumeReplicationGroup;
import io.openshift.ramendr.v1alpha1.VolumeReplicationGroupSpec.Action;
import io.openshift.ramendr.v1alpha1.VolumeReplicationGroupSpec.ReplicationState;
import io.openshift.storage.replication.v1alpha1.VolumeReplication;
import io.openshift.storage.replication.v1alpha1.VolumeReplicationSpec;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class VrgSecondaryTest extends OneSiteVrgTest {

  /** Primary with one PVC "db" replicating, as a relocate finds it. */
  private void primaryReplicating() {
    cluster.boundPvc("db", Map.of("app", "shop"));
    cluster.createVrg("shop", SHOP, ReplicationState.PRIMARY, cluster.profiles());
    until("VR created", () -> cluster.vr("db"), v -> assertThat(v).isNotNull());
    csiAddons.promoted(NS, "db", Instant.now(), "1s", 1);
    until("VRG Primary", () -> cluster.vrg("shop"), v -> VrgAssertions.state(v, "Primary"));
  }

  private void demoteFor(Action action) {
    cluster.editVrg(
        "shop",
        s -> {
          s.setReplicationState(ReplicationState.SECONDARY);
          s.setAction(action);
        });
  }

  @Test
  void demotesOnlyOnceThePvcIsDeletedAndUnusedThenLetsItGo() {
    primaryReplicating();
    cluster
        .client
        .pods()
        .resource(
            new PodBuilder()
                .withNewMetadata()
                .withName("writer")
                .withNamespace(NS)
                .endMetadata()
                .withNewSpec()
                .addNewContainer()
                .withName("w")
                .withImage("busybox")
                .endContainer()
                .addNewVolume()
                .withName("data")
                .withNewPersistentVolumeClaim()
                .withClaimName("db")
                .endPersistentVolumeClaim()
                .endVolume()
                .endSpec()
                .withNewStatus()
                .withPhase("Running")
                .endStatus()
                .build())
        .create();
    demoteFor(Action.RELOCATE);

    until(
        "waits for the PVC to be deleted",
        () -> cluster.vrg("shop"),
        v -> {
          pvcCondition(v, "db", "DataReady", "False", "Progressing");
          assertThat(VrgAssertions.protectedPvc(v, "db").getConditions())
              .anySatisfy(
                  c ->
                      assertThat(c.getMessage())
                          .isEqualTo("unable to transition to Secondary as PVC is not deleted"));
          VrgAssertions.state(v, "Unknown");
          assertThat(v.getStatus().getLastGroupSyncTime()).as("nil as Secondary").isNull();
        });
    assertThat(cluster.vr("db").getSpec().getReplicationState())
        .isEqualTo(VolumeReplicationSpec.ReplicationState.PRIMARY);

    cluster.client.resource(cluster.pvc("db")).delete();
    until(
        "waits for the pod to let go",
        () -> cluster.vrg("shop"),
        v ->
            assertThat(VrgAssertions.protectedPvc(v, "db").getConditions())
                .anySatisfy(c -> assertThat(c.getMessage()).contains("in use by pod writer")));
    assertThat(cluster.vr("db").getSpec().getReplicationState())
        .isEqualTo(VolumeReplicationSpec.ReplicationState.PRIMARY);

    cluster.client.pods().inNamespace(NS).withName("writer").delete();
    VolumeReplication vr =
        until(
            "VR demoted",
            () -> cluster.vr("db"),
            v ->
                assertThat(v.getSpec().getReplicationState())
                    .isEqualTo(VolumeReplicationSpec.ReplicationState.SECONDARY));
    assertThat(vr.getSpec().getAutoResync()).as("autoResync only after a Failover").isFalse();

    csiAddons.demoted(NS, "db");
    until(
        "demoted but not in sync yet",
        () -> cluster.vrg("shop"),
        v -> condition(v, "DataReady", "False", "Progressing"));
    assertThat(cluster.pvc("db")).as("claim kept until the VR is in sync").isNotNull();

    csiAddons.secondaryInSync(NS, "db");
    until(
        "VR deleted and the claim let go",
        () -> cluster.pvc("db"),
        c -> {
          assertThat(cluster.vr("db")).isNull();
          assertThat(c).isNull();
        });
    // the claim let go is no longer the VRG's (Ramen: pvcStatusDeleteIfPresent), so nothing it
    // protects is unprotected: a Relocate back may start
    VolumeReplicationGroup vrg =
        until(
            "Secondary, data protected, the let-go claim's entry gone",
            () -> cluster.vrg("shop"),
            v -> {
              assertThat(v.getStatus().getProtectedPVCs()).as("protected claims").isNullOrEmpty();
              condition(v, "DataReady", "True", "Unused");
              condition(v, "DataProtected", "True", "Unused");
              condition(v, "ClusterDataReady", "True", "Unused");
              VrgAssertions.state(v, "Secondary");
            });
    assertThat(vrg.getStatus().getLastGroupSyncTime()).isNull();
  }

  @Test
  void aRestartDuringDemotionConverges() {
    primaryReplicating();
    demoteFor(Action.RELOCATE);
    cluster.client.resource(cluster.pvc("db")).delete();
    until(
        "VR demoted",
        () -> cluster.vr("db"),
        v ->
            assertThat(v.getSpec().getReplicationState())
                .isEqualTo(VolumeReplicationSpec.ReplicationState.SECONDARY));

    cluster.stopControllers();
    csiAddons.secondaryInSync(NS, "db");
    cluster.startControllers();

    until(
        "Secondary, VR deleted, claim let go",
        () -> cluster.vrg("shop"),
        v -> {
          VrgAssertions.state(v, "Secondary");
          condition(v, "DataProtected", "True", "Unused");
          assertThat(v.getStatus().getProtectedPVCs()).as("protected claims").isNullOrEmpty();
          assertThat(cluster.vr("db")).isNull();
          assertThat(cluster.pvc("db")).isNull();
        });
    assertThat(cluster.pv("pv-db"))
        .as("the PV is the storage's to reclaim, not the VRG's to delete")
        .isNotNull();
  }

  @Test
  void afterAFailoverTheOldPrimaryIsDemotedInPlaceWithAutoResync() {
    primaryReplicating();
    demoteFor(Action.FAILOVER);

    VolumeReplication vr =
        until(
            "VR demoted without deleting the PVC",
            () -> cluster.vr("db"),
            v ->
                assertThat(v.getSpec().getReplicationState())
                    .isEqualTo(VolumeReplicationSpec.ReplicationState.SECONDARY));
    assertThat(vr.getSpec().getAutoResync()).isTrue();
    csiAddons.secondaryInSync(NS, "db");
    until("Secondary", () -> cluster.vrg("shop"), v -> VrgAssertions.state(v, "Secondary"));
    assertThat(cluster.pvc("db").getMetadata().getFinalizers())
        .as("a live claim stays protected")
        .contains(VrgNames.PVC_FINALIZER);
    assertThat(cluster.vr("db")).isNotNull();
  }

  @Test
  void aSecondaryWithNothingToDemoteIsSecondaryAtOnce() {
    cluster.boundPvc("db", Map.of("app", "shop"));
    cluster.createVrg("shop", SHOP, ReplicationState.SECONDARY, cluster.profiles());

    until(
        "Secondary",
        () -> cluster.vrg("shop"),
        v -> {
          condition(v, "DataReady", "True", "Unused");
          condition(v, "ClusterDataReady", "True", "Unused");
          VrgAssertions.state(v, "Secondary");
        });
    assertThat(cluster.vr("db")).as("an unprotected claim is not touched").isNull();
  }
}
