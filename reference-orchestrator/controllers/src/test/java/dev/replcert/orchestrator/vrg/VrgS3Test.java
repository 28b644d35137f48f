package dev.replcert.orchestrator.vrg;

import static dev.replcert.orchestrator.vrg.VrgAssertions.condition;
import static dev.replcert.orchestrator.vrg.VrgAssertions.message;
import static dev.replcert.orchestrator.vrg.VrgCluster.NS;
import static dev.replcert.orchestrator.vrg.VrgCluster.until;
import static org.assertj.core.api.Assertions.assertThat;

import dev.replcert.orchestrator.s3.S3Keys;
import dev.replcert.orchestrator.testing.S3Site;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.openshift.ramendr.v1alpha1.VolumeReplicationGroup;
import io.openshift.ramendr.v1alpha1.VolumeReplicationGroupSpec.ReplicationState;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class VrgS3Test {

  private static final LabelSelector SHOP =
      new LabelSelectorBuilder().addToMatchLabels("app", "shop").build();

  private S3Site east;
  private S3Site west;
  private VrgCluster cluster;

  @BeforeEach
  void start() {
    east = new S3Site("east");
    west = new S3Site("west");
    cluster = new VrgCluster(east, west);
  }

  @AfterEach
  void stop() {
    cluster.close();
    east.close();
    west.close();
  }

  @Test
  void uploadsEachProtectedPvAndPvcToEveryProfileUnderRamensKeys() {
    cluster.boundPvc("db", Map.of("app", "shop"));
    cluster.boundPvc("logs", Map.of("app", "blog"));
    cluster.createVrg("shop", SHOP, ReplicationState.PRIMARY, cluster.profiles());

    until(
        "VRG ClusterDataProtected",
        () -> cluster.vrg("shop"),
        v -> condition(v, "ClusterDataProtected", "True", "Uploaded"));
    String pvKey = "app/shop/v1.PersistentVolume/pv-db";
    String pvcKey = "app/shop/v1.PersistentVolumeClaim/app/db";
    String vrgKey = "app/shop/v1alpha1.VolumeReplicationGroup/a";
    assertThat(S3Keys.pv(NS, "shop", "pv-db")).isEqualTo(pvKey);
    assertThat(S3Keys.vrg(NS, "shop")).isEqualTo(vrgKey);
    PersistentVolume livePv = cluster.pv("pv-db");
    PersistentVolumeClaim livePvc = cluster.pvc("db");
    for (S3Site site : List.of(east, west)) {
      assertThat(site.keys()).as("keys in S3 %s", site.name).containsExactly(pvKey, pvcKey, vrgKey);
      PersistentVolume pv = site.object(pvKey, PersistentVolume.class);
      assertThat(pv.getSpec()).as("PV in S3 %s", site.name).isEqualTo(livePv.getSpec());
      assertThat(pv.getSpec().getPersistentVolumeReclaimPolicy())
          .as("uploaded after Retain")
          .isEqualTo("Retain");
      assertThat(pv.getMetadata().getName()).isEqualTo("pv-db");
      PersistentVolumeClaim pvc = site.object(pvcKey, PersistentVolumeClaim.class);
      assertThat(pvc.getSpec()).as("PVC in S3 %s", site.name).isEqualTo(livePvc.getSpec());
      assertThat(pvc.getMetadata().getLabels()).isEqualTo(livePvc.getMetadata().getLabels());
      assertThat(pvc.getMetadata().getFinalizers()).contains(VrgNames.PVC_FINALIZER);
    }
  }

  @Test
  void anS3OutageLeavesTheOtherProfileUploadedAndRetriesUntilItRecovers() {
    west.stop();
    cluster.boundPvc("db", Map.of("app", "shop"));
    cluster.createVrg("shop", SHOP, ReplicationState.PRIMARY, cluster.profiles());

    // The SDK does not retry (the reconcile does), so a first pass may also report a transient
    // error from the healthy east profile; what must settle is an error naming west alone.
    VolumeReplicationGroup vrg =
        until(
            "UploadError for west alone",
            () -> cluster.vrg("shop"),
            v -> {
              condition(v, "ClusterDataProtected", "False", "UploadError");
              assertThat(message(v, "ClusterDataProtected"))
                  .contains("s3-west")
                  .doesNotContain("s3-east");
            });
    assertThat(message(vrg, "ClusterDataProtected")).doesNotContain(west.secretKey);
    until("east has the objects", east::keys, keys -> assertThat(keys).hasSize(3));
    assertThat(cluster.vr("db")).as("the outage does not hold up replication").isNotNull();

    west.start();
    until(
        "ClusterDataProtected after west recovers",
        () -> cluster.vrg("shop"),
        v -> condition(v, "ClusterDataProtected", "True", "Uploaded"));
    assertThat(west.keys())
        .containsExactly(
            "app/shop/v1.PersistentVolume/pv-db",
            "app/shop/v1.PersistentVolumeClaim/app/db",
            "app/shop/v1alpha1.VolumeReplicationGroup/a");
  }

  @Test
  void restoresPvsAndPvcsFromS3OnAClusterThatHasNone() {
    cluster.boundPvc("db", Map.of("app", "shop"));
    cluster.createVrg("shop", SHOP, ReplicationState.PRIMARY, cluster.profiles());
    until(
        "uploaded",
        () -> cluster.vrg("shop"),
        v -> condition(v, "ClusterDataProtected", "True", "Uploaded"));
    PersistentVolume original = cluster.pv("pv-db");

    // the peer cluster: same S3, no PV or PVC; its own S3 (east) is down, west must serve
    east.stop();
    try (VrgCluster peer = new VrgCluster(east, west)) {
      peer.createVrg("shop", SHOP, ReplicationState.PRIMARY, peer.profiles());
      VolumeReplicationGroup vrg =
          until(
              "ClusterDataReady Restored",
              () -> peer.vrg("shop"),
              v -> condition(v, "ClusterDataReady", "True", "Restored"));
      assertThat(message(vrg, "ClusterDataReady")).isEqualTo("Restored 2 PVs and PVCs");
      PersistentVolume pv = peer.pv("pv-db");
      assertThat(pv.getSpec().getCsi()).isEqualTo(original.getSpec().getCsi());
      assertThat(pv.getSpec().getClaimRef().getUid()).as("claimRef uid cleared").isNull();
      assertThat(pv.getSpec().getClaimRef().getResourceVersion())
          .as("claimRef resourceVersion cleared")
          .isNull();
      assertThat(pv.getSpec().getClaimRef().getName()).isEqualTo("db");
      assertThat(pv.getMetadata().getAnnotations())
          .containsEntry(VrgNames.RESTORE_ANNOTATION, "True");
      PersistentVolumeClaim pvc = peer.pvc("db");
      assertThat(pvc.getSpec().getVolumeName()).isEqualTo("pv-db");
      assertThat(pvc.getMetadata().getLabels()).containsEntry("app", "shop");
      assertThat(pvc.getMetadata().getAnnotations())
          .containsEntry(VrgNames.RESTORE_ANNOTATION, "True");

      peer.bind("db");
      until(
          "restored claim protected by a VR", () -> peer.vr("db"), v -> assertThat(v).isNotNull());
    }
  }

  @Test
  void anExistingPvBoundToAnotherClaimIsAConflict() {
    cluster.boundPvc("db", Map.of("app", "shop"));
    cluster.createVrg("shop", SHOP, ReplicationState.PRIMARY, cluster.profiles());
    until(
        "uploaded",
        () -> cluster.vrg("shop"),
        v -> condition(v, "ClusterDataProtected", "True", "Uploaded"));

    try (VrgCluster peer = new VrgCluster(east, west)) {
      peer.client
          .resource(
              new PersistentVolumeBuilder(cluster.pv("pv-db"))
                  .editMetadata()
                  .withResourceVersion(null)
                  .withUid(null)
                  .withAnnotations(Map.of())
                  .endMetadata()
                  .editSpec()
                  .editClaimRef()
                  .withName("someone-else")
                  .withUid("uid-of-someone-else")
                  .endClaimRef()
                  .endSpec()
                  .build())
          .create();
      peer.createVrg("shop", SHOP, ReplicationState.PRIMARY, peer.profiles());
      VolumeReplicationGroup vrg =
          until(
              "ClusterDataReady Error",
              () -> peer.vrg("shop"),
              v -> condition(v, "ClusterDataReady", "False", "Error"));
      assertThat(message(vrg, "ClusterDataReady")).contains("pv-db").contains("bound elsewhere");
      assertThat(peer.pvc("db")).as("nothing restored over a conflict").isNull();
    }
  }
}
