package dev.replcert.orchestrator.vrg;

import static dev.replcert.orchestrator.vrg.VrgAssertions.condition;
import static dev.replcert.orchestrator.vrg.VrgCluster.NS;
import static dev.replcert.orchestrator.vrg.VrgCluster.until;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.openshift.ramendr.v1alpha1.VolumeReplicationGroup;
import io.openshift.ramendr.v1alpha1.VolumeReplicationGroupSpec.ReplicationState;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class VrgLifecycleTest extends OneSiteVrgTest {

  @Test
  void deletingTheVrgUnprotectsItsPvcsAndKeepsThem() {
    cluster.boundPvc("db", Map.of("app", "shop"));
    cluster.createVrg("shop", SHOP, ReplicationState.PRIMARY, cluster.profiles());
    until(
        "uploaded",
        () -> cluster.vrg("shop"),
        v -> condition(v, "ClusterDataProtected", "True", "Uploaded"));
    assertThat(east.keys()).contains("app/shop/v1alpha1.VolumeReplicationGroup/a");

    cluster.client.resource(cluster.vrg("shop")).delete();

    until("VRG gone", () -> cluster.vrg("shop"), v -> assertThat(v).isNull());
    PersistentVolumeClaim pvc = cluster.pvc("db");
    assertThat(pvc).as("the application's claim survives").isNotNull();
    assertThat(pvc.getMetadata().getDeletionTimestamp()).isNull();
    assertThat(pvc.getMetadata().getFinalizers()).doesNotContain(VrgNames.PVC_FINALIZER);
    assertThat(pvc.getMetadata().getAnnotations())
        .doesNotContainKey(VrgNames.PVC_PROTECTED_ANNOTATION);
    assertThat(pvc.getMetadata().getOwnerReferences()).isNullOrEmpty();
    assertThat(cluster.vr("db")).isNull();
    assertThat(cluster.pv("pv-db").getSpec().getPersistentVolumeReclaimPolicy())
        .as("reclaim policy given back")
        .isEqualTo("Delete");
    assertThat(east.keys()).as("a primary's S3 keys go with it").isEmpty();
  }

  @Test
  void deselectingAPvcUnprotectsIt() {
    cluster.boundPvc("db", Map.of("app", "shop"));
    cluster.boundPvc("tmp", Map.of("app", "shop"));
    cluster.createVrg("shop", SHOP, ReplicationState.PRIMARY, cluster.profiles());
    until("both protected", () -> cluster.vr("tmp"), v -> assertThat(v).isNotNull());

    cluster.relabel("tmp", "app", "scratch");

    until(
        "tmp unprotected",
        () -> cluster.pvc("tmp"),
        p -> {
          assertThat(p.getMetadata().getFinalizers()).doesNotContain(VrgNames.PVC_FINALIZER);
          assertThat(cluster.vr("tmp")).isNull();
          assertThat(cluster.vrg("shop").getStatus().getProtectedPVCs())
              .extracting(e -> e.getName())
              .containsExactly("db");
        });
    assertThat(cluster.vr("db")).isNotNull();
  }

  @Test
  void finalSyncFlagsCompleteAtOnceForVolumeReplication() {
    cluster.boundPvc("db", Map.of("app", "shop"));
    cluster.createVrg("shop", SHOP, ReplicationState.PRIMARY, cluster.profiles());
    until("VR created", () -> cluster.vr("db"), v -> assertThat(v).isNotNull());

    cluster.editVrg("shop", s -> s.setPrepareForFinalSync(true));
    until(
        "prepareForFinalSyncComplete",
        () -> cluster.vrg("shop"),
        v -> {
          // the VR can appear before the first status write lands
          assertThat(v.getStatus()).as("status").isNotNull();
          assertThat(v.getStatus().getPrepareForFinalSyncComplete()).isTrue();
        });
    cluster.editVrg("shop", s -> s.setRunFinalSync(true));
    until(
        "finalSyncComplete",
        () -> cluster.vrg("shop"),
        v -> assertThat(v.getStatus().getFinalSyncComplete()).isTrue());
  }

  @Test
  void aRestartedOperatorConvergesOnWhatChangedWhileItWasDown() {
    cluster.boundPvc("db", Map.of("app", "shop"));
    cluster.boundPvc("tmp", Map.of("app", "shop"));
    cluster.createVrg("shop", SHOP, ReplicationState.PRIMARY, cluster.profiles());
    until("VRs created", () -> cluster.vr("tmp"), v -> assertThat(v).isNotNull());

    cluster.stopControllers();
    csiAddons.promoted(NS, "db", Instant.now(), "1s", 1);
    cluster.relabel("tmp", "app", "scratch");
    cluster.boundPvc("new", Map.of("app", "shop"));
    cluster.startControllers();

    until("new PVC protected", () -> cluster.vr("new"), v -> assertThat(v).isNotNull());
    csiAddons.promoted(NS, "new", Instant.now(), "1s", 1);
    VolumeReplicationGroup vrg =
        until(
            "converged",
            () -> cluster.vrg("shop"),
            v -> {
              condition(v, "DataReady", "True", "Ready");
              condition(v, "ClusterDataProtected", "True", "Uploaded");
              VrgAssertions.state(v, "Primary");
              assertThat(cluster.vr("tmp")).isNull();
            });
    assertThat(vrg.getStatus().getProtectedPVCs())
        .extracting(e -> e.getName())
        .containsExactlyInAnyOrder("db", "new");
    assertThat(east.keys())
        .contains(
            "app/shop/v1.PersistentVolumeClaim/app/new", "app/shop/v1.PersistentVolume/pv-new");
  }
}
