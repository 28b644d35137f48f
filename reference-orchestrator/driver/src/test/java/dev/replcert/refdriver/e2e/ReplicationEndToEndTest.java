package dev.replcert.refdriver.e2e;

import static dev.replcert.refdriver.testing.Requests.MIB;
import static dev.replcert.refdriver.testing.Requests.assertCode;
import static dev.replcert.refdriver.testing.Requests.groupSource;
import static dev.replcert.refdriver.testing.Requests.volumeSource;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.Timestamp;
import dev.replcert.api.csiaddons.replication.GetVolumeReplicationInfoResponse;
import dev.replcert.api.csiaddons.replication.ReplicationDestination;
import dev.replcert.api.csiaddons.replication.ReplicationSource;
import dev.replcert.api.csiaddons.volumegroup.CreateVolumeGroupRequest;
import dev.replcert.api.refdriver.v1.GetReplicationControlRequest;
import dev.replcert.api.refdriver.v1.PauseReplicationRequest;
import dev.replcert.api.refdriver.v1.ResumeReplicationRequest;
import dev.replcert.refdriver.testing.Records;
import dev.replcert.refdriver.testing.SiteClients;
import dev.replcert.refdriver.testing.TwoSites;
import io.grpc.Status;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two real sites linked over TCP loopback, driven only through their gRPC sockets, asserting on
 * the bytes each site serves.
 */
class ReplicationEndToEndTest {

  private static final Duration SYNC_WAIT = Duration.ofSeconds(15);

  private static TwoSites sites;
  private static SiteClients east;
  private static SiteClients west;

  @BeforeAll
  static void start() {
    sites = TwoSites.start();
    east = sites.eastClients();
    west = sites.westClients();
  }

  @AfterAll
  static void stop() {
    sites.close();
  }

  private static Instant instant(Timestamp timestamp) {
    return Instant.ofEpochSecond(timestamp.getSeconds(), timestamp.getNanos());
  }

  @Test
  void bytesWrittenOnThePrimaryArriveIdenticallyOnTheSecondary() {
    String id = east.createVolume("e2e-bytes", 4 * MIB);
    ReplicationSource source = volumeSource(id);
    east.enable(source);
    String writer = east.publish(id, sites.target("bytes-east"), false);
    byte[] records = Records.of(32, 4096, 1);

    east.write(writer, 0, records);
    Instant written = Instant.now();

    String reader = west.publish(id, sites.target("bytes-west"), true);
    await("records on west").atMost(SYNC_WAIT).untilAsserted(() -> assertThat(west.read(reader, 0, records.length)).isEqualTo(records));
    await("east reports a sync after the writes")
        .atMost(SYNC_WAIT)
        .untilAsserted(
            () -> {
              GetVolumeReplicationInfoResponse info = east.info(source);
              assertThat(info.getStatus()).isEqualTo(GetVolumeReplicationInfoResponse.Status.HEALTHY);
              assertThat(instant(info.getLastSyncTime())).isAfter(written).isBeforeOrEqualTo(Instant.now());
            });
    assertThat(east.destination(source).getVolume().getVolumeId()).isEqualTo(id);
  }

  @Test
  void aSecondaryRefusesReadWritePublish() {
    String id = east.createVolume("e2e-secondary-rw", MIB);
    east.enable(volumeSource(id));
    await("replica on west")
        .atMost(SYNC_WAIT)
        .untilAsserted(() -> assertThat(west.publish(id, sites.target("ro-west"), true)).isNotEmpty());

    assertCode(Status.Code.FAILED_PRECONDITION, () -> west.publish(id, sites.target("rw-west"), false));
  }

  @Test
  void aPlannedSwitchLosesNothingAndOldHandlesStopWriting() {
    String id = east.createVolume("e2e-switch", 4 * MIB);
    ReplicationSource source = volumeSource(id);
    east.enable(source);
    String eastHandle = east.publish(id, sites.target("switch-east"), false);
    byte[] before = Records.of(16, 4096, 2);
    east.write(eastHandle, 0, before);

    east.demote(source);
    assertCode(Status.Code.FAILED_PRECONDITION, () -> east.write(eastHandle, 0, new byte[] {1}));
    west.promote(source, false);

    String westHandle = west.publish(id, sites.target("switch-west"), false);
    assertThat(west.read(westHandle, 0, before.length)).as("every acknowledged write survives the switch").isEqualTo(before);
    byte[] after = Records.of(16, 4096, 3);
    west.write(westHandle, 0, after);

    await("east resynced from west").atMost(SYNC_WAIT).until(() -> east.resync(source, false));
    east.unpublish(id, sites.target("switch-east"));
    String eastReader = east.publish(id, sites.target("switch-east-ro"), true);
    await("west's writes on east").atMost(SYNC_WAIT).untilAsserted(() -> assertThat(east.read(eastReader, 0, after.length)).isEqualTo(after));
  }

  @Test
  void promoteWithoutForceWhileThePeerIsPrimaryIsRefused() {
    String id = east.createVolume("e2e-split-brain", MIB);
    ReplicationSource source = volumeSource(id);
    east.enable(source);
    await("replica on west").atMost(SYNC_WAIT).untilAsserted(() -> west.destination(source));

    assertCode(Status.Code.FAILED_PRECONDITION, () -> west.promote(source, false));
    assertCode(Status.Code.FAILED_PRECONDITION, () -> east.resync(source, false));
    assertCode(Status.Code.NOT_FOUND, () -> east.enable(volumeSource("no-such-volume")));
  }

  @Test
  void everyReplicationRpcCanBeRepeated() {
    String id = east.createVolume("e2e-idempotent", MIB);
    ReplicationSource source = volumeSource(id);
    for (int i = 0; i < 5; i++) {
      east.enable(source);
    }
    for (int i = 0; i < 5; i++) {
      east.promote(source, false);
      assertThat(east.destination(source)).isEqualTo(destination(id));
    }
    await("first sync").atMost(SYNC_WAIT).until(() -> east.info(source).hasLastSyncTime());
    for (int i = 0; i < 5; i++) {
      assertThat(east.info(source).getStatus()).isEqualTo(GetVolumeReplicationInfoResponse.Status.HEALTHY);
    }
    for (int i = 0; i < 5; i++) {
      east.demote(source);
    }
    for (int i = 0; i < 5; i++) {
      west.promote(source, false);
    }
    await("east caught up").atMost(SYNC_WAIT).until(() -> east.resync(source, false));
    for (int i = 0; i < 5; i++) {
      assertThat(east.resync(source, false)).isTrue();
    }
    for (int i = 0; i < 5; i++) {
      west.disable(source);
    }
  }

  private static ReplicationDestination destination(String id) {
    return ReplicationDestination.newBuilder()
        .setVolume(ReplicationDestination.VolumeDestination.newBuilder().setVolumeId(id))
        .build();
  }

  @Test
  void aVolumeGroupReplicatesAllItsMembers() {
    String a = east.createVolume("e2e-group-a", MIB);
    String b = east.createVolume("e2e-group-b", MIB);
    String group =
        east.groups()
            .createVolumeGroup(CreateVolumeGroupRequest.newBuilder().setName("e2e-group").addVolumeIds(a).addVolumeIds(b).build())
            .getVolumeGroup()
            .getVolumeGroupId();
    ReplicationSource source = groupSource(group);
    east.enable(source);

    var destination = east.destination(source).getVolumegroup();
    assertThat(destination.getVolumeGroupId()).isEqualTo(group);
    assertThat(destination.getVolumeIdsMap()).isEqualTo(Map.of(a, a, b, b));

    byte[] first = Records.of(4, 4096, 4);
    byte[] second = Records.of(4, 4096, 5);
    east.write(east.publish(a, sites.target("group-a"), false), 0, first);
    east.write(east.publish(b, sites.target("group-b"), false), 0, second);
    String readerA = west.publish(a, sites.target("group-a-west"), true);
    String readerB = west.publish(b, sites.target("group-b-west"), true);
    await("both members on west")
        .atMost(SYNC_WAIT)
        .untilAsserted(
            () -> {
              assertThat(west.read(readerA, 0, first.length)).isEqualTo(first);
              assertThat(west.read(readerB, 0, second.length)).isEqualTo(second);
            });
  }

  @Test
  void pausedReplicationResumesWithEverythingWrittenMeanwhile() {
    String id = east.createVolume("e2e-pause", MIB);
    east.enable(volumeSource(id));
    east.control().pauseReplication(PauseReplicationRequest.newBuilder().setId(id).build());
    assertThat(east.control().getReplicationControl(GetReplicationControlRequest.newBuilder().setId(id).build()).getPaused()).isTrue();
    byte[] records = Records.of(8, 4096, 6);
    east.write(east.publish(id, sites.target("pause-east"), false), 0, records);

    east.control().resumeReplication(ResumeReplicationRequest.newBuilder().setId(id).build());

    assertThat(east.control().getReplicationControl(GetReplicationControlRequest.newBuilder().setId(id).build()).getPaused()).isFalse();
    String reader = west.publish(id, sites.target("pause-west"), true);
    await("writes made while paused on west")
        .atMost(SYNC_WAIT)
        .untilAsserted(() -> assertThat(west.read(reader, 0, records.length)).isEqualTo(records));
  }
}
