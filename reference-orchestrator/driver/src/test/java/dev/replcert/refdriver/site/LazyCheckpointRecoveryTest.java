package dev.replcert.refdriver.site;

import static dev.replcert.refdriver.site.TwoSites.BLOCK;
import static dev.replcert.refdriver.site.TwoSites.MIB;
import static dev.replcert.refdriver.site.TwoSites.pattern;
import static dev.replcert.refdriver.site.TwoSites.readAll;
import static dev.replcert.refdriver.site.TwoSites.write;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.UnsafeByteOperations;
import dev.replcert.refdriver.link.proto.Block;
import dev.replcert.refdriver.link.proto.DeltaHeader;
import dev.replcert.refdriver.link.proto.GetStateRequest;
import dev.replcert.refdriver.link.proto.ReplicationLinkGrpc;
import dev.replcert.refdriver.link.proto.SyncPoint;
import dev.replcert.refdriver.link.proto.VolumeDelta;
import dev.replcert.refdriver.link.proto.VolumeState;
import dev.replcert.refdriver.replication.JournalSlot;
import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Restarts across the lazy checkpoint of incremental syncs: the secondary acknowledges a sync once
 * its journal slot is committed, and makes the volume itself durable later. A crash in between must
 * bring the acknowledged sync back from the slot; a slot whose sync the volume moved past, or whose
 * records a crash left mixed with an earlier sync's, must never be applied.
 */
class LazyCheckpointRecoveryTest {

  @TempDir Path tmp;
  TwoSites sites;
  String id;

  @BeforeEach
  void start() {
    sites = TwoSites.start(tmp);
    id = sites.replicatedVolume("lazy", MIB);
    write(sites.east, id, 0, pattern(80, 2 * BLOCK));
    sites.awaitIdentical(id);
    sites.east.pause(Target.volume(id)); // from here on, only what the test writes reaches west
  }

  @AfterEach
  void stop() {
    sites.close();
  }

  @Test
  void acknowledgedSyncWhoseCheckpointDidNotRunIsReappliedAtTheNextStart() throws Exception {
    write(sites.east, id, 3 * BLOCK, pattern(81, BLOCK)); // east holds it; the slot carries it
    write(sites.east, id, 6 * BLOCK, pattern(82, BLOCK));
    VolumeState state = westState();
    sites.stopWest();
    // what a crash after the acknowledgement leaves: the sync committed in its slot, the volume's
    // metadata still at the previous point, and only some of the applied blocks in data.img
    Path root = sites.root("west");
    try (JournalSlot slot = JournalSlot.open(JournalSlot.path(root, 0))) {
      slot.begin(header(state.getSyncPoint(), next(state.getSyncPoint())));
      slot.append(List.of(block(3, pattern(81, BLOCK)), block(6, pattern(82, BLOCK))));
      slot.commit(2, 2L * BLOCK);
    }
    try (RandomAccessFile image = new RandomAccessFile(root.resolve("volumes/" + id + "/data.img").toFile(), "rw")) {
      image.seek(3L * BLOCK);
      image.write(pattern(81, BLOCK));
    }

    sites.startWest();
    assertThat(readAll(sites.west, id)).as("the acknowledged sync, whole").isEqualTo(readAll(sites.east, id));
    assertThat(westState().getSyncPoint().getSeq()).isEqualTo(state.getSyncPoint().getSeq() + 1);

    // west moves on; a restart must not apply the recovered slot again over the newer data
    write(sites.east, id, 3 * BLOCK, pattern(83, BLOCK));
    sites.east.resume(Target.volume(id));
    sites.awaitIdentical(id);
    sites.east.pause(Target.volume(id));
    sites.stopWest();
    sites.startWest();
    assertThat(readAll(sites.west, id)).isEqualTo(readAll(sites.east, id));
  }

  @Test
  void committedSlotOfASyncTheVolumeMovedPastIsNotApplied() throws Exception {
    for (int i = 0; i < 2; i++) { // west sees a few more syncs
      write(sites.east, id, (10 + i) * BLOCK, pattern(90 + i, 10));
      sites.east.resume(Target.volume(id));
      sites.awaitIdentical(id);
      sites.east.pause(Target.volume(id));
    }
    byte[] before = readAll(sites.west, id);
    VolumeState state = westState();
    sites.stopWest();
    // a sync that committed but failed to apply, whose retry (from the same base) was applied and
    // checkpointed, and more syncs after it: west's durable point is neither its base nor target
    SyncPoint point = state.getSyncPoint();
    SyncPoint older = point.toBuilder().setSeq(point.getSeq() - 2).build();
    SyncPoint old = point.toBuilder().setSeq(point.getSeq() - 1).build();
    assertThat(older.getSeq()).as("west has seen a few syncs").isPositive();
    try (JournalSlot slot = JournalSlot.open(JournalSlot.path(sites.root("west"), 1))) {
      slot.begin(header(older, old));
      slot.append(List.of(block(0, pattern(84, BLOCK)))); // would roll block 0 to other bytes
      slot.commit(1, BLOCK);
    }

    sites.startWest();
    assertThat(readAll(sites.west, id)).isEqualTo(before);

    write(sites.east, id, 9 * BLOCK, pattern(85, 10));
    sites.east.resume(Target.volume(id));
    sites.awaitIdentical(id);
  }

  @Test
  void slotMixingTwoSyncsAfterACrashIsNotApplied() throws Exception {
    byte[] before = readAll(sites.west, id);
    VolumeState state = westState();
    sites.stopWest();
    Path file = JournalSlot.path(sites.root("west"), 0);
    DeltaHeader earlier = header(state.getSyncPoint(), next(state.getSyncPoint()));
    DeltaHeader later = header(state.getSyncPoint(), next(state.getSyncPoint()));
    assertThat(later.getSerializedSize()).as("records line up").isEqualTo(earlier.getSerializedSize());
    try (JournalSlot slot = JournalSlot.open(file)) {
      slot.begin(earlier); // a committed sync at west's point (never acknowledged; its sender retried)
      slot.append(List.of(block(3, pattern(86, BLOCK)), block(6, pattern(87, BLOCK))));
      slot.commit(2, 2L * BLOCK);
      // the retry overwrote the header and the first block when the crash came: the rest of the
      // file, the earlier sync's second block and commit included, is of another generation
      slot.begin(later);
      slot.append(List.of(block(3, pattern(88, BLOCK))));
    }
    assertThat(JournalSlot.read(file, true, null)).as("not a committed sync").isNull();

    sites.startWest();
    assertThat(readAll(sites.west, id)).as("the previous consistent point").isEqualTo(before);

    write(sites.east, id, 9 * BLOCK, pattern(89, 10));
    sites.east.resume(Target.volume(id));
    sites.awaitIdentical(id);
  }

  // ---------------------------------------------------------------- helpers

  private VolumeState westState() throws InterruptedException {
    ManagedChannel channel = NettyChannelBuilder.forAddress(sites.west.linkAddress()).usePlaintext().build();
    try {
      return ReplicationLinkGrpc.newBlockingStub(channel)
          .getState(GetStateRequest.newBuilder().setSite("test").addVolumeIds(id).build())
          .getVolumes(0);
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  private static SyncPoint next(SyncPoint base) {
    return base.toBuilder().setSeq(base.getSeq() + 1).setSnapshotTimeMicros(base.getSnapshotTimeMicros() + 1).build();
  }

  private DeltaHeader header(SyncPoint base, SyncPoint target) {
    return DeltaHeader.newBuilder()
        .setSite("test")
        .setDeltaId(UUID.randomUUID().toString())
        .setBlockSize(BLOCK)
        .addVolumes(
            VolumeDelta.newBuilder().setVolumeId(id).setBase(base).setTarget(target).setFull(false).setCapacityBytes(MIB))
        .build();
  }

  private static Block block(int index, byte[] data) {
    CRC32C crc = new CRC32C();
    crc.update(data);
    return Block.newBuilder()
        .setVolumeIndex(0)
        .setIndex(index)
        .setCrc32C((int) crc.getValue())
        .setData(UnsafeByteOperations.unsafeWrap(data))
        .build();
  }
}
