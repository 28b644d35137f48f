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
import io.openshift.ramendr.v1alpha1.VolumeReplicationGroup;
import io.openshift.ramendr.v1alpha1.VolumeReplicationGroupSpec.ReplicationState;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The VRG's own object in S3 ({@code <ns>/<vrg>/v1alpha1.VolumeReplicationGroup/a}). */
class VrgObjectS3Test {

  private static final LabelSelector SHOP =
      new LabelSelectorBuilder().addToMatchLabels("app", "shop").build();
  private static final String KEY = S3Keys.vrg(NS, "shop");

  private S3Site east;
  private S3Site west;
  private VrgCluster cluster;
  private CsiAddonsPlayer csiAddons;

  @BeforeEach
  void start() {
    east = new S3Site("east");
    west = new S3Site("west");
    cluster = new VrgCluster(east, west);
    csiAddons = new CsiAddonsPlayer(cluster.client);
  }

  @AfterEach
  void stop() {
    try {
      cluster.close();
    } finally {
      east.close();
      west.close();
    }
  }

  @Test
  void aPrimaryUploadsItselfToEveryProfileAndAgainWhenItChangesMeaningfully() {
    cluster.boundPvc("db", Map.of("app", "shop"));
    cluster.createVrg("shop", SHOP, ReplicationState.PRIMARY, cluster.profiles());
    until("VR created", () -> cluster.vr("db"), v -> assertThat(v).isNotNull());
    Instant firstSync = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(10);
    csiAddons.promoted(NS, "db", firstSync, "1s", 10);

    for (S3Site site : List.of(east, west)) {
      VolumeReplicationGroup stored =
          until(
              "the Primary VRG in S3 " + site.name,
              () -> stored(site),
              v -> {
                assertThat(v).as("VRG object").isNotNull();
                assertThat(v.getStatus()).as("status uploaded").isNotNull();
                assertThat(v.getStatus().getState()).isEqualTo("Primary");
                // settled: the upload's own outcome (ClusterDataProtected) is in the stored copy,
                // so no meaningful change is pending when the next sync arrives
                assertThat(conditions(v)).isEqualTo(conditions(cluster.vrg("shop")));
              });
      assertThat(stored.getMetadata().getName()).isEqualTo("shop");
      assertThat(stored.getMetadata().getNamespace()).isEqualTo(NS);
      assertThat(stored.getSpec().getReplicationState()).isEqualTo(ReplicationState.PRIMARY);
      assertThat(stored.getSpec().getS3Profiles()).containsExactly("s3-east", "s3-west");
      assertThat(stored.getStatus().getProtectedPVCs())
          .extracting(p -> p.getName())
          .containsExactly("db");
    }

    // a newer sync moves only timestamps and counters: not worth an S3 write per sync interval
    csiAddons.promoted(NS, "db", firstSync.plusSeconds(5), "1s", 20);
    until(
        "the newer sync in the VRG",
        () -> cluster.vrg("shop"),
        v ->
            assertThat(v.getStatus().getLastGroupSyncTime().toInstant())
                .isEqualTo(firstSync.plusSeconds(5)));
    assertThat(east.object(KEY, VolumeReplicationGroup.class).getStatus().getLastGroupSyncTime())
        .as("the stored VRG is not rewritten for a sync time alone")
        .isEqualTo(
            cluster.vrg("shop").getStatus().getLastGroupSyncTime().minusSeconds(5));

    // a spec change (and the status it leads to) is
    cluster.editVrg("shop", s -> s.setPrepareForFinalSync(true));
    for (S3Site site : List.of(east, west)) {
      until(
          "the final-sync request and its completion in S3 " + site.name,
          () -> stored(site),
          v -> {
            assertThat(v.getSpec().getPrepareForFinalSync()).isTrue();
            assertThat(v.getStatus().getPrepareForFinalSyncComplete()).isTrue();
            assertThat(v.getStatus().getLastGroupSyncTime().toInstant())
                .as("uploaded with the status of the moment")
                .isEqualTo(firstSync.plusSeconds(5));
          });
    }
  }

  @Test
  void aFailedVrgUploadIsAnUploadErrorNamingTheProfileAndIsRetriedUntilItSucceeds() {
    west.stop();
    // no PVC selected: only the VRG object is uploaded
    cluster.createVrg("shop", SHOP, ReplicationState.PRIMARY, cluster.profiles());

    VolumeReplicationGroup vrg =
        until(
            "UploadError for west",
            () -> cluster.vrg("shop"),
            v -> condition(v, "ClusterDataProtected", "False", "UploadError"));
    assertThat(message(vrg, "ClusterDataProtected"))
        .contains("VRG object")
        .contains("s3-west")
        .doesNotContain("s3-east")
        .doesNotContain(west.secretKey);
    until("east has the VRG", east::keys, keys -> assertThat(keys).containsExactly(KEY));

    west.start();
    until(
        "ClusterDataProtected once west is back",
        () -> cluster.vrg("shop"),
        v -> condition(v, "ClusterDataProtected", "True", "Unused"));
    assertThat(west.keys()).containsExactly(KEY);
    assertThat(west.object(KEY, VolumeReplicationGroup.class).getMetadata().getName())
        .isEqualTo("shop");
  }

  /** Each condition's type, status and reason, in order. */
  private static List<String> conditions(VolumeReplicationGroup vrg) {
    return vrg.getStatus().getConditions().stream()
        .map(c -> c.getType() + "=" + c.getStatus() + "/" + c.getReason())
        .toList();
  }

  /** The VRG object in the site's S3, null while there is none. */
  private static VolumeReplicationGroup stored(S3Site site) {
    return site.keys().contains(KEY) ? site.object(KEY, VolumeReplicationGroup.class) : null;
  }

  @Test
  void aSecondaryUploadsNothing() {
    cluster.createVrg("shop", SHOP, ReplicationState.SECONDARY, cluster.profiles());
    until("Secondary", () -> cluster.vrg("shop"), v -> VrgAssertions.state(v, "Secondary"));
    assertThat(east.keys()).isEmpty();
    assertThat(west.keys()).isEmpty();
  }
}
