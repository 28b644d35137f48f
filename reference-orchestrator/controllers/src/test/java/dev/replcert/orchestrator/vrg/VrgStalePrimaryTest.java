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
import io.openshift.ramendr.v1alpha1.VolumeReplicationGroupSpec.Action;
import io.openshift.ramendr.v1alpha1.VolumeReplicationGroupSpec.ReplicationState;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The stale-primary guard ({@link PrimaryElsewhere}): two managed clusters (each its own API server
 * and controllers) sharing two S3 profiles, as a DRPolicy's clusters do. A VRG asked to be primary
 * without action Failover while the other cluster's VRG object says Primary restores and promotes
 * nothing; a Failover goes ahead; a relocate target goes ahead once the source has uploaded its
 * object as Secondary.
 */
class VrgStalePrimaryTest {

  private static final LabelSelector SHOP =
      new LabelSelectorBuilder().addToMatchLabels("app", "shop").build();
  private static final String KEY = S3Keys.vrg(NS, "shop");

  private S3Site s3East;
  private S3Site s3West;
  private VrgCluster east;
  private VrgCluster west;

  @BeforeEach
  void start() {
    s3East = new S3Site("east");
    s3West = new S3Site("west");
    east = new VrgCluster(s3East, s3West);
    west = new VrgCluster(s3East, s3West);
  }

  @AfterEach
  void stop() {
    try {
      east.close();
      west.close();
    } finally {
      s3East.close();
      s3West.close();
    }
  }

  @Test
  void aStalePrimaryAfterAFailoverIsRefusedWithTheReasonWhileAFailoverProceeds() {
    VolumeReplicationGroup eastVrg = primaryWithoutClaims(east);
    west.createVrg("shop", SHOP, ReplicationState.SECONDARY, west.profiles());
    until("west Secondary", () -> west.vrg("shop"), v -> VrgAssertions.state(v, "Secondary"));

    // east is lost; the user fails over: west promotes although east's object says Primary
    role(west, ReplicationState.PRIMARY, Action.FAILOVER);
    VolumeReplicationGroup westVrg =
        until("west Primary by Failover", () -> west.vrg("shop"), v -> VrgAssertions.state(v, "Primary"));
    awaitStoredEverywhere(westVrg, "Primary");
    // east, still Primary (both up), is not refused: it waits for the hub's demotion
    VrgCluster.waitFor("east stays Primary until demoted")
        .during(Duration.ofSeconds(1))
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              VolumeReplicationGroup v = east.vrg("shop");
              VrgAssertions.state(v, "Primary");
              condition(v, "DataReady", "True", VrgReasons.UNUSED);
            });
    // east's VRG changes while still primary (as when its cluster comes back before the hub's
    // demotion reaches it): it uploads, but never over the failover target's Primary object
    east.editVrg("shop", s -> s.setDryRun(false));
    VrgCluster.waitFor("west's Primary object stays while east's stale primary changes")
        .during(Duration.ofSeconds(1))
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> assertStored(westVrg, "Primary", "a stale primary never overwrites the new primary's object"));

    // east back: the hub's demotion, then the old primary spec re-applied by hand
    role(east, ReplicationState.SECONDARY, Action.FAILOVER);
    until("east Secondary", () -> east.vrg("shop"), v -> VrgAssertions.state(v, "Secondary"));
    assertStored(westVrg, "Primary", "a demoted VRG never overwrites the new primary's object");
    east.boundPvc("db", Map.of("app", "shop"));
    role(east, ReplicationState.PRIMARY, null);

    VolumeReplicationGroup refused =
        until(
            "east's stale primary refused",
            () -> east.vrg("shop"),
            v -> condition(v, "DataReady", "False", VrgReasons.CLUSTER_DATA_CONFLICT_PRIMARY));
    condition(refused, "NoClusterDataConflict", "False", VrgReasons.CLUSTER_DATA_CONFLICT_PRIMARY);
    condition(refused, "ClusterDataReady", "False", VrgReasons.CLUSTER_DATA_CONFLICT_PRIMARY);
    assertThat(message(refused, "DataReady"))
        .contains("S3 profile s3-")
        .contains(westVrg.getMetadata().getUid())
        .contains("reports state Primary");
    // level-triggered: it keeps refusing (retry 200 ms), makes no VR and leaves west's object
    VrgCluster.waitFor("east stays refused, no VR, west's object kept")
        .during(Duration.ofSeconds(2))
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              VolumeReplicationGroup v = east.vrg("shop");
              assertThat(v.getStatus().getState()).as("east's state").isNotEqualTo("Primary");
              condition(v, "DataReady", "False", VrgReasons.CLUSTER_DATA_CONFLICT_PRIMARY);
              assertThat(east.vr("db")).as("VR of db on east").isNull();
              assertThat(east.pvc("db").getMetadata().getFinalizers())
                  .as("db on east not protected")
                  .doesNotContain(VrgNames.PVC_FINALIZER);
            });
    assertStored(westVrg, "Primary", "the refused VRG uploads nothing");
    assertThat(eastVrg.getMetadata().getUid()).isNotEqualTo(westVrg.getMetadata().getUid());
  }

  @Test
  void aRelocateTargetWaitsForTheSourcesSecondaryObjectThenPromotes() {
    VolumeReplicationGroup eastVrg = primaryWithoutClaims(east);
    west.createVrg("shop", SHOP, ReplicationState.SECONDARY, west.profiles());
    until("west Secondary", () -> west.vrg("shop"), v -> VrgAssertions.state(v, "Secondary"));
    assertStored(eastVrg, "Primary", "a secondary that never was primary uploads nothing");

    // promoted too early (east not demoted yet): refused
    role(west, ReplicationState.PRIMARY, Action.RELOCATE);
    VolumeReplicationGroup early =
        until(
            "west refused while east's object says Primary",
            () -> west.vrg("shop"),
            v -> condition(v, "DataReady", "False", VrgReasons.CLUSTER_DATA_CONFLICT_PRIMARY));
    assertThat(message(early, "DataReady")).contains(eastVrg.getMetadata().getUid());

    // east demoted for the relocate replaces its own object (west's controllers paused meanwhile,
    // or west would overwrite it at once), then west goes ahead
    west.stopControllers();
    role(east, ReplicationState.SECONDARY, Action.RELOCATE);
    until("east Secondary", () -> east.vrg("shop"), v -> VrgAssertions.state(v, "Secondary"));
    awaitStoredEverywhere(eastVrg, "Secondary");
    west.startControllers();
    VolumeReplicationGroup westVrg =
        until(
            "west Primary once east's object says Secondary",
            () -> west.vrg("shop"),
            v -> {
              VrgAssertions.state(v, "Primary");
              condition(v, "NoClusterDataConflict", "True", VrgReasons.NO_CONFLICT_DETECTED);
            });
    awaitStoredEverywhere(westVrg, "Primary");
  }

  /** What the hub's VRG work (or a stale one) sets: the replication state and the action. */
  private static void role(VrgCluster cluster, ReplicationState state, Action action) {
    cluster.editVrg(
        "shop",
        s -> {
          s.setReplicationState(state);
          s.setAction(action);
        });
  }

  /** A primary VRG selecting no claim: Primary at once, its object in both profiles. */
  private VolumeReplicationGroup primaryWithoutClaims(VrgCluster cluster) {
    cluster.createVrg("shop", SHOP, ReplicationState.PRIMARY, cluster.profiles());
    VolumeReplicationGroup vrg =
        until("Primary", () -> cluster.vrg("shop"), v -> VrgAssertions.state(v, "Primary"));
    awaitStoredEverywhere(vrg, "Primary");
    return vrg;
  }

  private void awaitStoredEverywhere(VolumeReplicationGroup writer, String state) {
    for (S3Site site : List.of(s3East, s3West)) {
      until(
          "the VRG object in " + site.name + " written by uid " + writer.getMetadata().getUid(),
          () -> stored(site),
          v -> {
            assertThat(v).as("VRG object").isNotNull();
            assertThat(v.getMetadata().getUid()).isEqualTo(writer.getMetadata().getUid());
            assertThat(v.getStatus().getState()).isEqualTo(state);
            assertThat(v.getMetadata().getAnnotations())
                .containsKey(VrgNames.UPLOADED_AT_ANNOTATION);
          });
    }
  }

  private void assertStored(VolumeReplicationGroup writer, String state, String why) {
    for (S3Site site : List.of(s3East, s3West)) {
      VolumeReplicationGroup v = stored(site);
      assertThat(v).as("VRG object in %s: %s", site.name, why).isNotNull();
      assertThat(v.getMetadata().getUid() + " " + v.getStatus().getState())
          .as("writer and state of the VRG object in %s: %s", site.name, why)
          .isEqualTo(writer.getMetadata().getUid() + " " + state);
    }
  }

  private static VolumeReplicationGroup stored(S3Site site) {
    return site.keys().contains(KEY) ? site.object(KEY, VolumeReplicationGroup.class) : null;
  }
}
