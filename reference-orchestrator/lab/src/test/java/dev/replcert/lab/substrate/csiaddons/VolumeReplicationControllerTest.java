package dev.replcert.lab.substrate.csiaddons;

import static dev.replcert.lab.substrate.csiaddons.CsiAddonsLab.NAMESPACE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.replcert.api.csiaddons.identity.GetCapabilitiesRequest;
import dev.replcert.api.csiaddons.replication.ControllerGrpc;
import dev.replcert.api.csiaddons.replication.DisableVolumeReplicationRequest;
import dev.replcert.api.csiaddons.replication.GetReplicationDestinationInfoRequest;
import dev.replcert.api.csiaddons.replication.GetVolumeReplicationInfoRequest;
import dev.replcert.api.csiaddons.replication.PromoteVolumeRequest;
import dev.replcert.api.csiaddons.replication.ReplicationSource;
import dev.replcert.api.k8s.CsiAddons;
import dev.replcert.harness.config.TimeoutOperation;
import dev.replcert.harness.config.TimeoutProfile;
import dev.replcert.harness.workload.RecordVerifier;
import dev.replcert.harness.workload.RecordWriter;
import dev.replcert.harness.workload.Verification;
import dev.replcert.harness.workload.WriterReport;
import dev.replcert.lab.substrate.csiaddons.CsiAddonsLab.Cluster;
import dev.replcert.lab.substrate.csiaddons.CsiAddonsLab.Publication;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.openshift.storage.replication.v1alpha1.VolumeReplication;
import io.openshift.storage.replication.v1alpha1.VolumeReplicationSpec.ReplicationState;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The csi-addons controller against the lab's reference-driver sites: VolumeReplication states,
 * conditions and finalizers exactly as csi-addons writes them, and data through the driver.
 */
class VolumeReplicationControllerTest {

  static final TimeoutProfile TIMEOUTS = TimeoutProfile.named(TimeoutProfile.LAB);
  static final Duration PROMOTE = TIMEOUTS.of(TimeoutOperation.PROMOTE);
  static final Duration DEMOTE = TIMEOUTS.of(TimeoutOperation.DEMOTE);
  static final Duration SYNC = TIMEOUTS.of(TimeoutOperation.FIRST_SYNC);
  static final Duration POLL = TIMEOUTS.of(TimeoutOperation.POLL);
  static final String DESTINATION_UPDATED = "DestinationInfoAvailable=True/DestinationInfoUpdated";

  CsiAddonsLab lab;
  @TempDir Path dir;

  @BeforeEach
  void start() {
    lab = CsiAddonsLab.start();
  }

  @AfterEach
  void stop() {
    lab.close();
  }

  /** East primary, west secondary, the same volume handle on both clusters' PVs. */
  private String replicatedPair(String name) {
    String volume = lab.createVolume(lab.east(), name);
    for (Cluster c : List.of(lab.east(), lab.west())) {
      lab.bind(c, name, volume, Map.of());
      lab.replicationClass(c, "vrc-1m", Map.of());
    }
    lab.replicate(lab.east(), name, "vrc-1m", name, ReplicationState.PRIMARY);
    lab.replicate(lab.west(), name, "vrc-1m", name, ReplicationState.SECONDARY);
    awaitPrimary(lab.east(), name);
    awaitHealthySecondary(lab.west(), name);
    return volume;
  }

  @Test
  void primaryAndSecondaryReportCsiAddonsConditionsAndLastSyncTimeAdvances() {
    replicatedPair("data");

    VolumeReplication east = lab.vr(lab.east(), "data");
    assertThat(east.getMetadata().getFinalizers()).contains(CsiAddons.VR_FINALIZER);
    PersistentVolumeClaim pvc =
        lab.east().client().persistentVolumeClaims().inNamespace(NAMESPACE).withName("data").get();
    assertThat(pvc.getMetadata().getFinalizers()).contains(CsiAddons.PVC_PROTECTION_FINALIZER);
    assertThat(pvc.getMetadata().getAnnotations())
        .containsEntry(CsiAddons.VOLUME_REPLICATION_NAME_ANNOTATION, "data");
    assertThat(east.getStatus().getMessage()).isEqualTo("volume is marked primary");

    ZonedDateTime first = awaitLastSyncTime(lab.east(), "data", null);
    awaitLastSyncTime(lab.east(), "data", first);
    assertThat(lab.vr(lab.east(), "data").getStatus().getLastSyncDuration()).isNotBlank();
    assertThat(lab.vr(lab.east(), "data").getStatus().getLastSyncBytes()).isNotNull();
  }

  @Test
  void aPlannedSwitchCarriesTheDataWithoutForce() {
    String volume = replicatedPair("data");
    WriterReport written;
    UUID run = UUID.randomUUID();
    RecordWriter writer;
    try (Publication east = lab.publish(lab.east(), volume, dir)) {
      writer = RecordWriter.builder(east.io(), run).build();
      writer.writeRecords(40);
      written = writer.report();
    }

    lab.setState(lab.east(), "data", ReplicationState.SECONDARY);
    await("east VolumeReplication data demoted")
        .atMost(DEMOTE)
        .pollInterval(POLL)
        .untilAsserted(
            () ->
                assertThat(lab.vr(lab.east(), "data").getStatus().getState())
                    .isEqualTo("Secondary"));
    lab.setState(lab.west(), "data", ReplicationState.PRIMARY);
    awaitPrimary(lab.west(), "data");

    assertThat(lab.west().promotes())
        .extracting(PromoteVolumeRequest::getForce)
        .containsOnly(false);
    assertThat(lab.east().promotes())
        .extracting(PromoteVolumeRequest::getForce)
        .containsOnly(false);
    try (Publication west = lab.publish(lab.west(), volume, dir)) {
      Verification found = new RecordVerifier(west.io(), writer.format(), run).verify();
      assertThat(found.lostRecords(written)).as(found.describe(written)).isZero();
    }
    await("east VolumeReplication data resynced to the new primary")
        .atMost(SYNC)
        .pollInterval(POLL)
        .untilAsserted(
            () ->
                assertThat(conditions(lab.vr(lab.east(), "data")))
                    .containsExactlyInAnyOrder(
                        "Completed=True/Demoted",
                        "Degraded=False/Healthy",
                        "Resyncing=False/NotResyncing"));
  }

  @Test
  void aFailoverWithTheOldPrimaryDownPromotesWithForceAfterFailedPrecondition() {
    replicatedPair("data");
    awaitLastSyncTime(lab.east(), "data", null);

    lab.disasters().takeDown("east");
    lab.setState(lab.west(), "data", ReplicationState.PRIMARY);
    // the peer is down: promoted, but GetVolumeReplicationInfo reports it is not replicating
    awaitPrimary(lab.west(), "data", "Replicating=False/NotReplicating", DESTINATION_UPDATED);

    assertThat(lab.west().promotes())
        .extracting(PromoteVolumeRequest::getForce)
        .containsExactly(false, true);
  }

  @Test
  void aPrimaryReportsTheDestinationVolumeTheDriverAnswers() {
    String volume = replicatedPair("data");

    VolumeReplication east = lab.vr(lab.east(), "data");
    assertThat(east.getStatus().getDestinationVolumeID())
        .isNotBlank()
        .isEqualTo(destinationOf(lab.east(), volume));
    assertThat(lab.east().sent(GetReplicationDestinationInfoRequest.class))
        .isNotEmpty()
        .allSatisfy(
            r -> assertThat(r.getReplicationSource().getVolume().getVolumeId()).isEqualTo(volume));
    // the destination is a primary's: the secondary is not asked and reports none
    assertThat(lab.west().sent(GetReplicationDestinationInfoRequest.class)).isEmpty();
    assertThat(lab.vr(lab.west(), "data").getStatus().getDestinationVolumeID()).isNull();
  }

  @Test
  void anUnavailableDestinationIsPendingAndAskedAgainUntilTheDriverAnswers() {
    lab.east().tweaks().destinationUnavailable(true);
    String volume = primary(lab.east(), "data");

    awaitPrimary(
        lab.east(),
        "data",
        "Replicating=True/Replicating",
        "DestinationInfoAvailable=False/DestinationInfoPending");
    VolumeReplication pending = lab.vr(lab.east(), "data");
    assertThat(pending.getStatus().getDestinationVolumeID()).isNull();
    assertThat(pending.getStatus().getConditions())
        .filteredOn(c -> c.getType().equals("DestinationInfoAvailable"))
        .extracting(Condition::getMessage)
        .containsExactly("volume destination info is pending update: destination not ready");
    await("east GetReplicationDestinationInfo asked again while pending")
        .atMost(PROMOTE)
        .pollInterval(POLL)
        .until(() -> lab.east().sent(GetReplicationDestinationInfoRequest.class).size() >= 2);

    lab.east().tweaks().destinationUnavailable(false);
    awaitPrimary(lab.east(), "data");
    assertThat(lab.vr(lab.east(), "data").getStatus().getDestinationVolumeID())
        .isEqualTo(destinationOf(lab.east(), volume));
  }

  @Test
  void aDriverWithoutTheCapabilityGetsNoDestinationCallAndNoCondition() {
    lab.east().tweaks().hideDestinationInfo();
    primary(lab.east(), "data");

    awaitPrimary(lab.east(), "data", "Replicating=True/Replicating");
    // two polls: the primary went through its whole pass at least once after the promote
    await("east VolumeReplication data polled twice")
        .atMost(SYNC)
        .pollInterval(POLL)
        .until(() -> lab.east().sent(GetVolumeReplicationInfoRequest.class).size() >= 2);
    assertThat(lab.east().sent(GetCapabilitiesRequest.class)).as("capabilities asked").isNotEmpty();
    assertThat(lab.east().sent(GetReplicationDestinationInfoRequest.class)).isEmpty();
    VolumeReplication vr = lab.vr(lab.east(), "data");
    assertThat(conditions(vr)).noneMatch(c -> c.startsWith("DestinationInfoAvailable"));
    assertThat(vr.getStatus().getDestinationVolumeID()).isNull();
  }

  @Test
  void aVolumeReplicationOfAPendingPvcNeverBecomesPrimary() {
    lab.replicationClass(lab.east(), "vrc-1m", Map.of());
    lab.east()
        .client()
        .persistentVolumeClaims()
        .resource(
            new PersistentVolumeClaimBuilder()
                .withNewMetadata()
                .withName("pending")
                .withNamespace(NAMESPACE)
                .endMetadata()
                .withNewSpec()
                .withAccessModes("ReadWriteOnce")
                .endSpec()
                .build())
        .create();
    lab.replicate(lab.east(), "pending", "vrc-1m", "pending", ReplicationState.PRIMARY);

    await("VolumeReplication pending reports the unbound PVC")
        .atMost(PROMOTE)
        .pollInterval(POLL)
        .untilAsserted(
            () -> {
              VolumeReplication vr = lab.vr(lab.east(), "pending");
              assertThat(vr.getStatus()).isNotNull();
              assertThat(vr.getStatus().getMessage())
                  .isEqualTo("PVC \"pending\" is not bound to any PV");
              assertThat(vr.getStatus().getState()).isEqualTo("Unknown");
              assertThat(conditions(vr))
                  .contains("Completed=False/FailedToPromote", "Degraded=True/Error");
            });
    assertThat(lab.east().promotes()).isEmpty();
  }

  @Test
  void aVolumeReplicationOfAMissingPvcNeverBecomesPrimary() {
    lab.replicationClass(lab.east(), "vrc-1m", Map.of());
    lab.replicate(lab.east(), "ghost", "vrc-1m", "absent", ReplicationState.PRIMARY);

    await("VolumeReplication ghost reports the missing PVC")
        .atMost(PROMOTE)
        .pollInterval(POLL)
        .untilAsserted(
            () -> {
              VolumeReplication vr = lab.vr(lab.east(), "ghost");
              assertThat(vr.getStatus()).isNotNull();
              assertThat(vr.getStatus().getMessage()).contains("\"absent\" not found");
              assertThat(conditions(vr))
                  .contains("Completed=False/FailedToPromote", "Degraded=True/Error");
            });
    await("VolumeReplication ghost stays not Primary")
        .during(Duration.ofSeconds(1))
        .atMost(Duration.ofSeconds(3))
        .pollInterval(POLL)
        .until(
            () ->
                !"Primary".equals(lab.vr(lab.east(), "ghost").getStatus().getState())
                    && !conditions(lab.vr(lab.east(), "ghost"))
                        .contains("Completed=True/Promoted"));
    assertThat(lab.east().promotes()).isEmpty();
  }

  @Test
  void aClassWithAnUnknownPrefixedParameterIsNotValidated() {
    String volume = lab.createVolume(lab.east(), "data");
    lab.bind(lab.east(), "data", volume, Map.of());
    lab.replicationClass(
        lab.east(), "vrc-bad", Map.of("replication.storage.openshift.io/flavour", "x"));
    lab.replicate(lab.east(), "data", "vrc-bad", "data", ReplicationState.PRIMARY);

    await("VolumeReplication data not validated")
        .atMost(PROMOTE)
        .pollInterval(POLL)
        .untilAsserted(
            () -> {
              VolumeReplication vr = lab.vr(lab.east(), "data");
              assertThat(conditions(vr))
                  .containsExactlyInAnyOrder(
                      "Completed=False/FailedToPromote",
                      "Degraded=True/Error",
                      "Validated=False/PrerequisiteNotMet");
              assertThat(vr.getStatus().getMessage())
                  .contains("replication.storage.openshift.io/flavour");
              assertThat(vr.getStatus().getState()).isEqualTo("Unknown");
            });
    assertThat(lab.east().requests()).isEmpty();
  }

  @Test
  void deletingDisablesReplicationAndRemovesTheFinalizers() {
    String volume = primary(lab.east(), "data");
    awaitPrimary(lab.east(), "data");

    lab.east()
        .client()
        .resources(VolumeReplication.class)
        .inNamespace(NAMESPACE)
        .withName("data")
        .delete();

    await("VolumeReplication data gone")
        .atMost(PROMOTE)
        .pollInterval(POLL)
        .until(() -> lab.vr(lab.east(), "data") == null);
    assertThat(lab.east().sent(DisableVolumeReplicationRequest.class))
        .extracting(r -> r.getReplicationSource().getVolume().getVolumeId())
        .containsExactly(volume);
    PersistentVolumeClaim pvc =
        lab.east().client().persistentVolumeClaims().inNamespace(NAMESPACE).withName("data").get();
    assertThat(pvc.getMetadata().getFinalizers())
        .doesNotContain(CsiAddons.PVC_PROTECTION_FINALIZER);
    assertThat(pvc.getMetadata().getAnnotations())
        .doesNotContainKey(CsiAddons.VOLUME_REPLICATION_NAME_ANNOTATION);
  }

  /** A single volume on one site, replicated as primary there. */
  private String primary(Cluster cluster, String name) {
    String volume = lab.createVolume(cluster, name);
    lab.bind(cluster, name, volume, Map.of());
    lab.replicationClass(cluster, "vrc-1m", Map.of());
    lab.replicate(cluster, name, "vrc-1m", name, ReplicationState.PRIMARY);
    return volume;
  }

  /** What the site's driver itself answers GetReplicationDestinationInfo for {@code volume}. */
  private static String destinationOf(Cluster cluster, String volume) {
    return ControllerGrpc.newBlockingStub(cluster.driver().addons())
        .withDeadlineAfter(CsiAddonsLab.RPC_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
        .getReplicationDestinationInfo(
            GetReplicationDestinationInfoRequest.newBuilder()
                .setReplicationSource(
                    ReplicationSource.newBuilder()
                        .setVolume(ReplicationSource.VolumeSource.newBuilder().setVolumeId(volume)))
                .putAllSecrets(cluster.driver().secrets())
                .build())
        .getReplicationDestination()
        .getVolume()
        .getVolumeId();
  }

  private void awaitPrimary(Cluster cluster, String name) {
    awaitPrimary(cluster, name, "Replicating=True/Replicating", DESTINATION_UPDATED);
  }

  /** Primary with Completed, Degraded and Resyncing as promoted, and exactly {@code others}. */
  private void awaitPrimary(Cluster cluster, String name, String... others) {
    await(cluster.site() + " VolumeReplication " + name + " Primary")
        .atMost(PROMOTE)
        .pollInterval(POLL)
        .untilAsserted(
            () -> {
              VolumeReplication vr = lab.vr(cluster, name);
              assertThat(vr.getStatus()).isNotNull();
              assertThat(vr.getStatus().getState()).isEqualTo("Primary");
              List<String> expected =
                  new ArrayList<>(
                      List.of(
                          "Completed=True/Promoted",
                          "Degraded=False/Healthy",
                          "Resyncing=False/NotResyncing"));
              expected.addAll(List.of(others));
              assertThat(conditions(vr)).containsExactlyInAnyOrderElementsOf(expected);
              assertCurrentGeneration(vr);
            });
  }

  private void awaitHealthySecondary(Cluster cluster, String name) {
    await(cluster.site() + " VolumeReplication " + name + " healthy Secondary")
        .atMost(SYNC)
        .pollInterval(POLL)
        .untilAsserted(
            () -> {
              VolumeReplication vr = lab.vr(cluster, name);
              assertThat(vr.getStatus()).isNotNull();
              assertThat(vr.getStatus().getState()).isEqualTo("Secondary");
              assertThat(vr.getStatus().getMessage()).isEqualTo("volume is marked secondary");
              assertThat(conditions(vr))
                  .containsExactlyInAnyOrder(
                      "Completed=True/Demoted",
                      "Degraded=False/Healthy",
                      "Resyncing=False/NotResyncing");
              assertCurrentGeneration(vr);
            });
  }

  private ZonedDateTime awaitLastSyncTime(Cluster cluster, String name, ZonedDateTime after) {
    return await(cluster.site() + " VolumeReplication " + name + " lastSyncTime after " + after)
        .atMost(SYNC)
        .pollInterval(POLL)
        .until(
            () -> lab.vr(cluster, name).getStatus().getLastSyncTime(),
            t -> t != null && (after == null || t.isAfter(after)));
  }

  private static void assertCurrentGeneration(VolumeReplication vr) {
    long generation = vr.getMetadata().getGeneration();
    assertThat(vr.getStatus().getObservedGeneration()).isEqualTo(generation);
    assertThat(vr.getStatus().getConditions())
        .allSatisfy(c -> assertThat(c.getObservedGeneration()).isEqualTo(generation));
  }

  static List<String> conditions(VolumeReplication vr) {
    if (vr.getStatus() == null || vr.getStatus().getConditions() == null) {
      return List.of();
    }
    return vr.getStatus().getConditions().stream()
        .map(VolumeReplicationControllerTest::describe)
        .toList();
  }

  static String describe(Condition c) {
    return c.getType() + "=" + c.getStatus() + "/" + c.getReason();
  }
}
