package dev.replcert.orchestrator.vrg;

import static dev.replcert.orchestrator.vrg.VrgAssertions.condition;
import static dev.replcert.orchestrator.vrg.VrgAssertions.message;
import static dev.replcert.orchestrator.vrg.VrgAssertions.protectedPvc;
import static dev.replcert.orchestrator.vrg.VrgCluster.NS;
import static dev.replcert.orchestrator.vrg.VrgCluster.until;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.openshift.ramendr.v1alpha1.VolumeReplicationGroup;
import io.openshift.ramendr.v1alpha1.VolumeReplicationGroupSpec.ReplicationState;
import io.openshift.storage.replication.v1alpha1.VolumeReplication;
import io.openshift.storage.replication.v1alpha1.VolumeReplicationSpec;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.junit.jupiter.api.Test;

class VrgPrimaryTest extends OneSiteVrgTest {

  @Test
  void protectsEverySelectedPvcWithItsOwnVolumeReplicationAndNoOther() {
    cluster.boundPvc("db", Map.of("app", "shop", "tier", "db"));
    cluster.boundPvc("web", Map.of("app", "shop", "tier", "web"));
    cluster.boundPvc("cache", Map.of("app", "shop", "tier", "cache"));
    cluster.boundPvc("other", Map.of("app", "blog"));
    // set-based: the mock would ignore it, the controller must not
    cluster.createVrg(
        "shop",
        new LabelSelectorBuilder()
            .addToMatchLabels("app", "shop")
            .addNewMatchExpression()
            .withKey("tier")
            .withOperator("In")
            .withValues("db", "web")
            .endMatchExpression()
            .build(),
        ReplicationState.PRIMARY,
        cluster.profiles());

    for (String pvc : new String[] {"db", "web"}) {
      VolumeReplication vr =
          until("VR " + pvc, () -> cluster.vr(pvc), v -> assertThat(v).isNotNull());
      assertThat(vr.getSpec().getReplicationState())
          .isEqualTo(VolumeReplicationSpec.ReplicationState.PRIMARY);
      assertThat(vr.getSpec().getVolumeReplicationClass())
          .as("class by labels, provisioner and interval")
          .isEqualTo(VrgCluster.VRC);
      assertThat(vr.getSpec().getDataSource().getKind()).isEqualTo("PersistentVolumeClaim");
      assertThat(vr.getSpec().getDataSource().getName()).isEqualTo(pvc);
      assertThat(vr.getSpec().getAutoResync()).isFalse();
      assertThat(vr.getMetadata().getLabels())
          .containsEntry(VrgNames.OWNER_NAME_LABEL, "shop")
          .containsEntry(VrgNames.OWNER_NAMESPACE_LABEL, NS)
          .containsEntry(VrgNames.CREATED_BY_RAMEN_LABEL, "true");
      PersistentVolumeClaim claim =
          until(
              "PVC " + pvc + " protected",
              () -> cluster.pvc(pvc),
              c -> assertThat(c.getMetadata().getFinalizers()).contains(VrgNames.PVC_FINALIZER));
      assertThat(claim.getMetadata().getAnnotations())
          .containsEntry(VrgNames.PVC_PROTECTED_ANNOTATION, "protected");
      assertThat(claim.getMetadata().getOwnerReferences())
          .singleElement()
          .satisfies(
              o -> {
                assertThat(o.getKind()).isEqualTo("VolumeReplicationGroup");
                assertThat(o.getName()).isEqualTo("shop");
              });
      assertThat(cluster.pv("pv-" + pvc).getSpec().getPersistentVolumeReclaimPolicy())
          .isEqualTo("Retain");
      assertThat(cluster.pv("pv-" + pvc).getMetadata().getAnnotations())
          .containsEntry(VrgNames.PV_RETAINED_ANNOTATION, "retained");
    }
    VolumeReplicationGroup vrg =
        until(
            "VRG waits for its VRs",
            () -> cluster.vrg("shop"),
            v -> {
              condition(v, "ClusterDataReady", "True", "Restored");
              condition(v, "DataReady", "False", "Progressing");
              VrgAssertions.state(v, "Unknown");
            });
    assertThat(message(vrg, "ClusterDataReady")).isEqualTo("Nothing to restore");
    assertThat(vrg.getStatus().getProtectedPVCs())
        .extracting(p -> p.getName())
        .containsExactlyInAnyOrder("db", "web");
    for (String unselected : new String[] {"cache", "other"}) {
      assertThat(cluster.vr(unselected)).as("VR of unselected PVC " + unselected).isNull();
      assertThat(cluster.pvc(unselected).getMetadata().getFinalizers())
          .as("finalizers of " + unselected)
          .isNullOrEmpty();
      assertThat(cluster.pv("pv-" + unselected).getSpec().getPersistentVolumeReclaimPolicy())
          .isEqualTo("Delete");
    }
  }

  @Test
  void followsItsVolumeReplicationsAndTakesTheOldestSyncTime() {
    cluster.boundPvc("a", Map.of("app", "shop"));
    cluster.boundPvc("b", Map.of("app", "shop"));
    cluster.createVrg("shop", SHOP, ReplicationState.PRIMARY, cluster.profiles());
    until("VRs created", () -> cluster.vr("b"), v -> assertThat(v).isNotNull());
    Instant newer = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    Instant older = newer.minusSeconds(40);
    csiAddons.promoted(NS, "a", newer, "2s", 1000);
    csiAddons.promoted(NS, "b", older, "1m30s", 24);

    VolumeReplicationGroup vrg =
        until(
            "VRG Primary and replicating",
            () -> cluster.vrg("shop"),
            v -> {
              condition(v, "DataReady", "True", "Ready");
              condition(v, "DataProtected", "False", "Replicating");
              condition(v, "ClusterDataReady", "True", "Restored");
              condition(v, "ClusterDataProtected", "True", "Uploaded");
              VrgAssertions.state(v, "Primary");
            });
    assertThat(message(vrg, "DataProtected")).isEqualTo("VolumeReplicationGroup is replicating");
    assertThat(vrg.getStatus().getLastGroupSyncTime().toInstant())
        .as("the oldest member's")
        .isEqualTo(older);
    assertThat(vrg.getStatus().getLastGroupSyncDuration()).as("the longest").isEqualTo("1m30s");
    assertThat(vrg.getStatus().getLastGroupSyncBytes()).as("the sum").isEqualTo(1024L);
    assertThat(vrg.getStatus().getObservedGeneration())
        .isEqualTo(vrg.getMetadata().getGeneration());
    var a = protectedPvc(vrg, "a");
    assertThat(a.getLastSyncTime().toInstant()).isEqualTo(newer);
    assertThat(a.getCsiProvisioner()).isEqualTo(VrgCluster.PROVISIONER);
    assertThat(a.getStorageClassName()).isEqualTo(VrgCluster.STORAGE_CLASS);
    assertThat(a.getReplicationID().getId()).isEqualTo("repl-1");
    assertThat(a.getStorageID().getId()).isEqualTo("storage-east");
    assertThat(a.getAccessModes()).containsExactly("ReadWriteOnce");
    VrgAssertions.pvcCondition(vrg, "a", "DataReady", "True", "Ready");
    VrgAssertions.pvcCondition(vrg, "a", "ClusterDataProtected", "True", "Uploaded");
  }

  @Test
  void aMemberWithoutLastSyncTimeLeavesTheGroupSyncTimeNil() {
    cluster.boundPvc("a", Map.of("app", "shop"));
    cluster.boundPvc("b", Map.of("app", "shop"));
    cluster.createVrg("shop", SHOP, ReplicationState.PRIMARY, cluster.profiles());
    until("VRs created", () -> cluster.vr("b"), v -> assertThat(v).isNotNull());
    csiAddons.promoted(NS, "a", Instant.now(), "1s", 1);
    csiAddons.promoted(NS, "b", null, null, 0);

    VolumeReplicationGroup vrg =
        until(
            "VRG Primary",
            () -> cluster.vrg("shop"),
            v -> condition(v, "DataReady", "True", "Ready"));
    assertThat(vrg.getStatus().getLastGroupSyncTime()).isNull();
  }

  @Test
  void aVolumeReplicationThatFailsToPromoteMakesDataReadyAnError() {
    cluster.boundPvc("a", Map.of("app", "shop"));
    cluster.createVrg("shop", SHOP, ReplicationState.PRIMARY, cluster.profiles());
    until("VR created", () -> cluster.vr("a"), v -> assertThat(v).isNotNull());
    csiAddons.failedToPromote(NS, "a", "volume failed to promote: peer still primary");

    VolumeReplicationGroup vrg =
        until(
            "VRG reports the error",
            () -> cluster.vrg("shop"),
            v -> condition(v, "DataReady", "False", "Error"));
    assertThat(message(vrg, "DataReady")).contains("volume failed to promote: peer still primary");
    VrgAssertions.state(vrg, "Unknown");
  }

  @Test
  void anUnboundPvcIsWaitedFor() {
    cluster
        .client
        .resource(
            new io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder()
                .withNewMetadata()
                .withName("pending")
                .withNamespace(NS)
                .addToLabels("app", "shop")
                .endMetadata()
                .withNewSpec()
                .withStorageClassName(VrgCluster.STORAGE_CLASS)
                .endSpec()
                .build())
        .create();
    cluster.createVrg("shop", SHOP, ReplicationState.PRIMARY, cluster.profiles());

    VolumeReplicationGroup vrg =
        until(
            "VRG waits for the claim",
            () -> cluster.vrg("shop"),
            v -> VrgAssertions.pvcCondition(v, "pending", "DataReady", "False", "Progressing"));
    assertThat(protectedPvc(vrg, "pending").getConditions())
        .anySatisfy(c -> assertThat(c.getMessage()).isEqualTo("PVC not bound yet"));
    assertThat(cluster.vr("pending")).isNull();
  }

  @Test
  void metroModeProtectsWithoutVolumeReplication() {
    cluster.boundPvc("db", Map.of("app", "shop"));
    cluster.createVrg("shop", SHOP, ReplicationState.PRIMARY, cluster.profiles());
    cluster.editVrg(
        "shop",
        s -> {
          s.setAsync(null);
          s.setSync(new io.openshift.ramendr.v1alpha1.volumereplicationgroupspec.Sync());
        });

    until(
        "Metro VRG Primary",
        () -> cluster.vrg("shop"),
        v -> {
          condition(v, "DataReady", "True", "Ready");
          condition(v, "ClusterDataProtected", "True", "Uploaded");
          VrgAssertions.state(v, "Primary");
        });
    assertThat(cluster.pvc("db").getMetadata().getFinalizers()).contains(VrgNames.PVC_FINALIZER);
  }

  @Test
  void neitherSyncNorAsyncIsAnInvalidVrg() {
    cluster.boundPvc("db", Map.of("app", "shop"));
    cluster.createVrg("shop", SHOP, ReplicationState.PRIMARY, cluster.profiles());
    cluster.editVrg("shop", s -> s.setAsync(null));

    VolumeReplicationGroup vrg =
        until(
            "DataReady Error",
            () -> cluster.vrg("shop"),
            v -> condition(v, "DataReady", "False", "Error"));
    assertThat(message(vrg, "DataReady")).isEqualTo("neither of sync or async mode is enabled");
  }
}
