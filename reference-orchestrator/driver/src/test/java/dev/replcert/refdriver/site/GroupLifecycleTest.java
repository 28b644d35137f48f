package dev.replcert.refdriver.site;

import static dev.replcert.refdriver.testing.Requests.MIB;
import static dev.replcert.refdriver.testing.Requests.assertCode;
import static dev.replcert.refdriver.testing.Requests.groupSource;
import static org.assertj.core.api.Assertions.assertThat;

import dev.replcert.api.csi.v1.DeleteVolumeRequest;
import dev.replcert.api.csi.v1.ListVolumesRequest;
import dev.replcert.api.csiaddons.replication.GetVolumeReplicationInfoResponse;
import dev.replcert.api.csiaddons.replication.ReplicationSource;
import dev.replcert.api.csiaddons.volumegroup.ControllerGetVolumeGroupRequest;
import dev.replcert.api.csiaddons.volumegroup.CreateVolumeGroupRequest;
import dev.replcert.api.csiaddons.volumegroup.DeleteVolumeGroupRequest;
import dev.replcert.api.csiaddons.volumegroup.ListVolumeGroupsRequest;
import dev.replcert.api.csiaddons.volumegroup.ModifyVolumeGroupMembershipRequest;
import dev.replcert.api.refdriver.v1.PauseReplicationRequest;
import dev.replcert.refdriver.testing.Records;
import dev.replcert.refdriver.testing.SiteClients;
// the gRPC pair (sockets, restartable east), not this package's engine-level TwoSites
import dev.replcert.refdriver.testing.TwoSites;
import io.grpc.Status;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The DR lifecycle of a consistency group as the orchestrator drives it (one VolumeGroupReplication
 * per group, its content restored from S3 with the group handle on the other site), through the
 * real gRPC services of two sites: failover to west with east lost, the returned east demoted,
 * resynced and let go (its VGR deleted: Disable, then DeleteVolumeGroup), then a relocate back to
 * east. Asserted on the bytes each site serves.
 */
class GroupLifecycleTest {

  private static final Duration SYNC_WAIT = Duration.ofSeconds(20);
  private static final long VOLUME = MIB;
  private static final int RECORD = 4096;

  private TwoSites sites;
  private final List<Publication> eastPublications = new ArrayList<>();
  private int targets;

  private record Publication(String volumeId, Path target, String handle) {}

  @BeforeEach
  void start() {
    sites = TwoSites.start();
  }

  @AfterEach
  void stop() {
    sites.close();
  }

  @Test
  void aGroupFailsOverIsLetGoOnTheReturnedOldPrimaryAndRelocatesBackWithEverything() {
    // 1. east: the group, replicated as one; west gets a fed secondary group with the same ids
    String a = east().createVolume("lifecycle-a", VOLUME);
    String b = east().createVolume("lifecycle-b", VOLUME);
    String group =
        east().groups()
            .createVolumeGroup(CreateVolumeGroupRequest.newBuilder().setName("lifecycle").addVolumeIds(a).addVolumeIds(b).build())
            .getVolumeGroup()
            .getVolumeGroupId();
    ReplicationSource source = groupSource(group);
    east().enable(source);
    byte[] a1 = Records.of(4, RECORD, 101);
    byte[] b1 = Records.of(4, RECORD, 102);
    eastWrite(a, 0, a1);
    eastWrite(b, 0, b1);
    awaitBytes("first writes on west", west(), a, 0, a1);
    awaitBytes("first writes on west", west(), b, 0, b1);

    // the RPO: written on east after its last sync, lost with the site
    east().control().pauseReplication(PauseReplicationRequest.newBuilder().setId(group).build());
    byte[] lost = Records.of(2, RECORD, 103);
    eastWrite(a, 16 * RECORD, lost);
    sites.stopEast();

    // 2. failover: west's restored content has the handle (Modify, not Create), then the group VR
    modify(west(), group, a, b);
    west().enable(source);
    assertCode(Status.Code.FAILED_PRECONDITION, () -> west().promote(source, false));
    west().promote(source, true);
    assertThat(readNow(west(), a, 0, a1.length)).as("a on west: the last synced bytes").isEqualTo(a1);
    assertThat(readNow(west(), b, 0, b1.length)).as("b on west: the last synced bytes").isEqualTo(b1);
    assertThat(readNow(west(), a, 16 * RECORD, lost.length)).as("never shipped").isEqualTo(new byte[lost.length]);
    byte[] a2 = Records.of(4, RECORD, 104);
    byte[] b2 = Records.of(4, RECORD, 105);
    westWrite(a, 32 * RECORD, a2);
    westWrite(b, 32 * RECORD, b2);

    // 3. east is back, still primary at its old epoch: demoted, resynced, then its VGR deleted
    sites.startEast();
    east().demote(source);
    await("east resynced from west").until(() -> east().resync(source, false));
    awaitIdentical("east holds west's data, its lost write discarded", a, b);
    unpublishEast();
    east().disable(source);
    east().disable(source);
    east().controller().deleteVolume(DeleteVolumeRequest.newBuilder().setVolumeId(a).build());
    east().controller().deleteVolume(DeleteVolumeRequest.newBuilder().setVolumeId(b).build());
    east().groups().deleteVolumeGroup(DeleteVolumeGroupRequest.newBuilder().setVolumeGroupId(group).build());
    east().groups().deleteVolumeGroup(DeleteVolumeGroupRequest.newBuilder().setVolumeGroupId(group).build());
    assertThat(listedGroups(east())).as("ListVolumeGroups on east after the delete").doesNotContain(group);
    assertThat(listedVolumes(east())).as("ListVolumes on east after the deletes").doesNotContain(a, b);
    assertThat(memberIds(east(), group)).as("the released group keeps its members").containsExactlyInAnyOrder(a, b);
    assertCode(
        Status.Code.FAILED_PRECONDITION,
        () -> west().groups().deleteVolumeGroup(DeleteVolumeGroupRequest.newBuilder().setVolumeGroupId(group).build()));

    // west goes on writing; the released group still receives its syncs as a group
    byte[] a3 = Records.of(4, RECORD, 106);
    byte[] b3 = Records.of(4, RECORD, 107);
    westWrite(a, 48 * RECORD, a3);
    westWrite(b, 48 * RECORD, b3);
    Instant written = Instant.now();
    await("west syncs the released group after its writes")
        .untilAsserted(
            () -> {
              GetVolumeReplicationInfoResponse info = west().info(source);
              assertThat(info.getStatus()).isEqualTo(GetVolumeReplicationInfoResponse.Status.HEALTHY);
              assertThat(Instant.ofEpochSecond(info.getLastSyncTime().getSeconds(), info.getLastSyncTime().getNanos()))
                  .isAfter(written);
            });

    // 4. relocate back: west demoted first (final sync), east's restored content, VR, promote
    byte[] a4 = Records.of(2, RECORD, 108);
    westWrite(a, 64 * RECORD, a4); // shipped by the demote's final sync at the latest
    byte[] westA = readNow(west(), a, 0, (int) VOLUME);
    byte[] westB = readNow(west(), b, 0, (int) VOLUME);
    west().demote(source);
    modify(east(), group, a, b);
    east().enable(source);
    east().promote(source, false);
    assertThat(readNow(east(), a, 0, (int) VOLUME)).as("a on east: everything west wrote").isEqualTo(westA);
    assertThat(readNow(east(), b, 0, (int) VOLUME)).as("b on east: everything west wrote").isEqualTo(westB);
    assertThat(readNow(east(), a, 64 * RECORD, a4.length)).isEqualTo(a4);
    assertThat(listedGroups(east())).as("the claimed group is listed again").contains(group);
    assertThat(listedVolumes(east())).as("its members are CSI volumes again").contains(a, b);

    // and the group replicates east to west again
    byte[] a5 = Records.of(2, RECORD, 109);
    eastWrite(a, 80 * RECORD, a5);
    awaitBytes("east's new write on west", west(), a, 80 * RECORD, a5);
  }

  // ---------------------------------------------------------------- helpers

  private SiteClients east() {
    return sites.eastClients();
  }

  private SiteClients west() {
    return sites.westClients();
  }

  private static ConditionFactory await(String condition) {
    return Awaitility.await(condition)
        .atMost(SYNC_WAIT)
        .pollInterval(Duration.ofMillis(20))
        .pollDelay(Duration.ZERO);
  }

  private static void modify(SiteClients site, String group, String... members) {
    site.groups()
        .modifyVolumeGroupMembership(
            ModifyVolumeGroupMembershipRequest.newBuilder().setVolumeGroupId(group).addAllVolumeIds(List.of(members)).build());
  }

  private void eastWrite(String volumeId, long offset, byte[] data) {
    Path target = target("east-rw");
    String handle = east().publish(volumeId, target, false);
    eastPublications.add(new Publication(volumeId, target, handle));
    east().write(handle, offset, data);
  }

  private void westWrite(String volumeId, long offset, byte[] data) {
    Path target = target("west-rw");
    String handle = west().publish(volumeId, target, false);
    west().write(handle, offset, data);
    west().unpublish(volumeId, target);
  }

  /** Reads through a read-only publication made for the read and removed after it. */
  private byte[] readNow(SiteClients site, String volumeId, long offset, int length) {
    Path target = target("ro");
    String handle = site.publish(volumeId, target, true);
    try {
      return site.read(handle, offset, length);
    } finally {
      site.unpublish(volumeId, target);
    }
  }

  private void awaitBytes(String condition, SiteClients site, String volumeId, long offset, byte[] expected) {
    await(condition)
        .ignoreExceptions() // the replica may not exist yet
        .untilAsserted(() -> assertThat(readNow(site, volumeId, offset, expected.length)).isEqualTo(expected));
  }

  private void awaitIdentical(String condition, String... volumeIds) {
    await(condition)
        .untilAsserted(
            () -> {
              for (String id : volumeIds) {
                assertThat(readNow(east(), id, 0, (int) VOLUME)).isEqualTo(readNow(west(), id, 0, (int) VOLUME));
              }
            });
  }

  /** The orchestrator's PVCs on east go before the PVs are deleted: no publication may remain. */
  private void unpublishEast() {
    eastPublications.forEach(p -> east().unpublish(p.volumeId(), p.target()));
    eastPublications.clear();
  }

  private Path target(String kind) {
    return sites.target(kind + "-" + ++targets);
  }

  private static List<String> listedGroups(SiteClients site) {
    return site.groups().listVolumeGroups(ListVolumeGroupsRequest.getDefaultInstance()).getEntriesList().stream()
        .map(e -> e.getVolumeGroup().getVolumeGroupId())
        .toList();
  }

  private static List<String> listedVolumes(SiteClients site) {
    return site.controller().listVolumes(ListVolumesRequest.getDefaultInstance()).getEntriesList().stream()
        .map(e -> e.getVolume().getVolumeId())
        .toList();
  }

  private static List<String> memberIds(SiteClients site, String group) {
    return site.groups()
        .controllerGetVolumeGroup(ControllerGetVolumeGroupRequest.newBuilder().setVolumeGroupId(group).build())
        .getVolumeGroup()
        .getVolumesList()
        .stream()
        .map(v -> v.getVolumeId())
        .toList();
  }
}
