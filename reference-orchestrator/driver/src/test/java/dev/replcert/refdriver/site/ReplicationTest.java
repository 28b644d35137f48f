package dev.replcert.refdriver.site;

import static dev.replcert.refdriver.site.Scenarios.anyBackwards;
import static dev.replcert.refdriver.site.Scenarios.anyInFuture;
import static dev.replcert.refdriver.site.Scenarios.distinctTimes;
import static dev.replcert.refdriver.site.Scenarios.errorOf;
import static dev.replcert.refdriver.site.TwoSites.BLOCK;
import static dev.replcert.refdriver.site.TwoSites.MIB;
import static dev.replcert.refdriver.site.TwoSites.await;
import static dev.replcert.refdriver.site.TwoSites.pattern;
import static dev.replcert.refdriver.site.TwoSites.read;
import static dev.replcert.refdriver.site.TwoSites.readAll;
import static dev.replcert.refdriver.site.TwoSites.write;
import static org.assertj.core.api.Assertions.assertThat;

import dev.replcert.refdriver.ErrorCode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Steady-state replication: bytes, changed blocks, last sync time, idempotency, error codes. */
class ReplicationTest {

  @TempDir Path tmp;
  TwoSites sites;

  @AfterEach
  void stop() {
    sites.close();
  }

  @Test
  void writtenRecordsReachTheSecondaryByteForByte() {
    sites = TwoSites.start(tmp);
    String id = sites.replicatedVolume("records", 4 * MIB);
    write(sites.east, id, 10, pattern(1, 100_000));
    write(sites.east, id, 3 * MIB, pattern(2, 5000));
    write(sites.east, id, 4 * MIB - 7, pattern(3, 7)); // the last bytes of the volume

    await("secondary identical to the primary")
        .untilAsserted(() -> assertThat(readAll(sites.west, id)).isEqualTo(readAll(sites.east, id)));
    assertThat(read(sites.west, id, 10, 100_000)).isEqualTo(pattern(1, 100_000));
  }

  @Test
  void initialSyncShipsAllocatedBlocksAndLaterSyncsOnlyChangedOnes() {
    sites = TwoSites.start(tmp, Duration.ofHours(1), Set.of(), Set.of()); // syncs only on demand
    String id = sites.east.createVolume("delta", 64 * MIB, Map.of()).volumeId();
    write(sites.east, id, 5 * MIB, pattern(4, (int) MIB)); // 16 blocks of a 1024-block volume
    sites.east.enableReplication(Target.volume(id), Map.of());
    await("initial sync acknowledged").until(() -> status(id).lastSyncTime() != null);
    assertThat(status(id).lastSyncBytes()).isEqualTo(MIB);

    sites.east.pause(Target.volume(id));
    Instant before = status(id).lastSyncTime();
    write(sites.east, id, 0, pattern(5, 10)); // block 0
    write(sites.east, id, 40L * BLOCK - 5, pattern(6, 10)); // blocks 39 and 40
    sites.east.resume(Target.volume(id)); // ships at once

    await("sync after resume acknowledged").until(() -> status(id).lastSyncTime().isAfter(before));
    assertThat(status(id).lastSyncBytes()).as("three changed blocks").isEqualTo(3L * BLOCK);
    assertThat(readAll(sites.west, id)).isEqualTo(readAll(sites.east, id));
  }

  @Test
  void lastSyncTimeAdvancesIsMonotonicAndNeverInTheFuture() {
    sites = TwoSites.start(tmp);
    String id = sites.replicatedVolume("clock", MIB);
    List<Scenarios.Sample> samples = Scenarios.lastSyncTimes(sites, id, Duration.ofMillis(800));

    assertThat(distinctTimes(samples)).as("syncs every 100 ms").isGreaterThanOrEqualTo(4);
    assertThat(anyInFuture(samples)).as("a last sync time in the future").isFalse();
    assertThat(anyBackwards(samples)).as("a last sync time going backwards").isFalse();
    Scenarios.Sample last = samples.get(samples.size() - 1);
    assertThat(Duration.between(last.lastSyncTime(), last.asked())).isLessThan(Duration.ofSeconds(1));
    assertThat(status(id).lastSyncDuration()).isPositive();
  }

  @Test
  void readersOfTheSecondaryNeverSeeHalfASync() throws Exception {
    sites = TwoSites.start(tmp);
    String id = sites.replicatedVolume("atomic", 4 * MIB);
    assertThat(Scenarios.readerSeesHalfASync(sites, id, Duration.ofMillis(1500))).isFalse();
    assertThat(TwoSites.readLong(sites.west, id, 0)).as("generations did replicate").isPositive();
  }

  @Test
  void enableIsIdempotentAndReplicationErrorsFollowTheCsiAddonsTable() {
    sites = TwoSites.start(tmp);
    String id = sites.replicatedVolume("codes", MIB);
    sites.east.enableReplication(Target.volume(id), Map.of()); // again: fine, nothing changes
    assertThat(sites.east.volume(id).role()).isEqualTo(VolumeInfo.Role.PRIMARY);
    assertThat(sites.west.volume(id).role()).isEqualTo(VolumeInfo.Role.SECONDARY);

    Target unknown = Target.volume("vol-0000000000000000");
    assertThat(errorOf(() -> sites.east.enableReplication(unknown, Map.of()))).isEqualTo(ErrorCode.NOT_FOUND);
    assertThat(errorOf(() -> sites.east.promote(unknown, false))).isEqualTo(ErrorCode.NOT_FOUND);
    assertThat(errorOf(() -> sites.east.replicationStatus(Target.group("vg-missing")))).isEqualTo(ErrorCode.NOT_FOUND);
    assertThat(errorOf(() -> sites.west.replicationStatus(Target.volume(id))))
        .as("status of a secondary")
        .isEqualTo(ErrorCode.FAILED_PRECONDITION);
    assertThat(errorOf(() -> sites.east.resync(Target.volume(id), false)))
        .as("resync of a primary")
        .isEqualTo(ErrorCode.FAILED_PRECONDITION);
    String plain = sites.east.createVolume("plain", MIB, Map.of()).volumeId();
    assertThat(errorOf(() -> sites.east.replicationStatus(Target.volume(plain)))).isEqualTo(ErrorCode.FAILED_PRECONDITION);
    assertThat(errorOf(() -> sites.east.promote(Target.volume(plain), false))).isEqualTo(ErrorCode.FAILED_PRECONDITION);
    assertThat(errorOf(() -> sites.east.demote(Target.volume(plain), Instant.now().plusSeconds(5))))
        .isEqualTo(ErrorCode.FAILED_PRECONDITION);
    assertThat(errorOf(() -> sites.east.enableReplication(Target.volume(plain), Map.of("schedulingInterval", "soon"))))
        .isEqualTo(ErrorCode.INVALID_ARGUMENT);
    assertThat(errorOf(() -> sites.east.deleteVolume(id))).as("delete a replicated volume").isEqualTo(ErrorCode.FAILED_PRECONDITION);

    sites.east.disableReplication(Target.volume(id));
    sites.east.disableReplication(Target.volume(id));
    assertThat(sites.east.volume(id).role()).isEqualTo(VolumeInfo.Role.NONE);
    assertThat(sites.west.volume(id).role()).as("the peer keeps its replica").isEqualTo(VolumeInfo.Role.SECONDARY);
  }

  @Test
  void volumesAndSnapshotsAreIdempotentByName() throws Exception {
    sites = TwoSites.start(tmp);
    VolumeInfo volume = sites.east.createVolume("pvc-1", 2 * MIB, Map.of());
    assertThat(sites.east.createVolume("pvc-1", 2 * MIB, Map.of())).isEqualTo(volume);
    assertThat(errorOf(() -> sites.east.createVolume("pvc-1", 3 * MIB, Map.of()))).isEqualTo(ErrorCode.ALREADY_EXISTS);
    assertThat(errorOf(() -> sites.east.createVolume("", MIB, Map.of()))).isEqualTo(ErrorCode.INVALID_ARGUMENT);
    assertThat(sites.west.createVolume("pvc-1", 2 * MIB, Map.of()).volumeId())
        .as("the same name gives the same id on both sites")
        .isEqualTo(volume.volumeId());

    write(sites.east, volume.volumeId(), 0, pattern(7, 1000));
    SnapshotInfo snapshot = sites.east.createSnapshot(volume.volumeId(), "snap-1");
    write(sites.east, volume.volumeId(), 0, pattern(8, 1000)); // after the snapshot
    assertThat(sites.east.createSnapshot(volume.volumeId(), "snap-1")).isEqualTo(snapshot);
    byte[] kept = java.nio.file.Files.readAllBytes(sites.root("east").resolve("snapshots/" + snapshot.snapshotId() + ".img"));
    assertThat(java.util.Arrays.copyOf(kept, 1000)).as("point-in-time copy").isEqualTo(pattern(7, 1000));
    sites.east.deleteSnapshot(snapshot.snapshotId());
    sites.east.deleteSnapshot(snapshot.snapshotId());

    assertThat(errorOf(() -> sites.east.deleteVolume(volume.volumeId()))).as("published").isEqualTo(ErrorCode.FAILED_PRECONDITION);
    sites.east.unpublish(volume.volumeId(), "/mnt/rw-" + volume.volumeId());
    sites.east.unpublish(volume.volumeId(), "/mnt/rw-" + volume.volumeId());
    sites.east.deleteVolume(volume.volumeId());
    sites.east.deleteVolume(volume.volumeId());
    assertThat(sites.east.listVolumes()).isEmpty();
  }

  @Test
  void dataPathChecksRangesHandlesAndPublications() {
    sites = TwoSites.start(tmp);
    String id = sites.east.createVolume("io", MIB, Map.of()).volumeId();
    String handle = TwoSites.rw(sites.east, id);
    assertThat(errorOf(() -> sites.east.write(handle, MIB - 1, new byte[2]))).isEqualTo(ErrorCode.OUT_OF_RANGE);
    assertThat(errorOf(() -> sites.east.read(handle, -1, 1))).isEqualTo(ErrorCode.OUT_OF_RANGE);
    assertThat(errorOf(() -> sites.east.read("no-such-handle", 0, 1))).isEqualTo(ErrorCode.NOT_FOUND);
    assertThat(errorOf(() -> sites.east.write(TwoSites.ro(sites.east, id), 0, new byte[1])))
        .as("read-only publication")
        .isEqualTo(ErrorCode.FAILED_PRECONDITION);
    assertThat(errorOf(() -> sites.east.publish(id, "east-node-1", "/mnt/rw-" + id, true)))
        .as("same target, other arguments")
        .isEqualTo(ErrorCode.ALREADY_EXISTS);
    assertThat(errorOf(() -> sites.east.publish(id, "no-such-node", "/mnt/x", false))).isEqualTo(ErrorCode.NOT_FOUND);
    sites.east.write(handle, 100, pattern(9, 50));
    sites.east.flush(handle);
    assertThat(sites.east.read(handle, 100, 50)).isEqualTo(pattern(9, 50));
    assertThat(sites.east.read(handle, 0, 100)).isEqualTo(new byte[100]);
  }

  private ReplicationStatus status(String id) {
    return sites.east.replicationStatus(Target.volume(id));
  }
}
