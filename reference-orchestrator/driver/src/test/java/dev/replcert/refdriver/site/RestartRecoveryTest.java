package dev.replcert.refdriver.site;

import static dev.replcert.refdriver.site.TwoSites.BLOCK;
import static dev.replcert.refdriver.site.TwoSites.MIB;
import static dev.replcert.refdriver.site.TwoSites.await;
import static dev.replcert.refdriver.site.TwoSites.pattern;
import static dev.replcert.refdriver.site.TwoSites.read;
import static dev.replcert.refdriver.site.TwoSites.readAll;
import static dev.replcert.refdriver.site.TwoSites.write;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.UnsafeByteOperations;
import dev.replcert.refdriver.link.proto.Block;
import dev.replcert.refdriver.link.proto.BlockBatch;
import dev.replcert.refdriver.link.proto.DeltaAck;
import dev.replcert.refdriver.link.proto.DeltaChunk;
import dev.replcert.refdriver.link.proto.DeltaCommit;
import dev.replcert.refdriver.link.proto.DeltaHeader;
import dev.replcert.refdriver.link.proto.GetStateRequest;
import dev.replcert.refdriver.link.proto.ReplicationLinkGrpc;
import dev.replcert.refdriver.link.proto.SyncPoint;
import dev.replcert.refdriver.link.proto.VolumeDelta;
import dev.replcert.refdriver.link.proto.VolumeState;
import dev.replcert.refdriver.replication.Journal;
import dev.replcert.refdriver.replication.JournalSlot;
import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Restarts: a half-received sync leaves the replica at its previous consistent point, a complete
 * one that was not applied yet is applied at the next start, and a restarted primary still ships
 * what it wrote before.
 */
class RestartRecoveryTest {

  @TempDir Path tmp;
  TwoSites sites;
  String id;

  @BeforeEach
  void start() {
    sites = TwoSites.start(tmp);
    id = sites.replicatedVolume("restart", MIB);
    write(sites.east, id, 0, pattern(70, 2 * BLOCK));
    sites.awaitIdentical(id);
    sites.east.pause(Target.volume(id)); // from here on, only what the test sends reaches west
  }

  @AfterEach
  void stop() {
    sites.close();
  }

  @Test
  void halfReceivedSyncIsDiscardedAndTheReplicaStaysAtItsPreviousPoint() throws Exception {
    byte[] before = readAll(sites.west, id);
    ManagedChannel channel = linkTo(sites.west);
    try {
      VolumeState state = westState(channel);
      ClientCallStreamObserver<DeltaChunk> abandoned = openDelta(channel);
      abandoned.onNext(header(state, false));
      abandoned.onNext(blocks(0, pattern(71, BLOCK)));
      abandoned.cancel("the sender died", null);
      await("the abandoned sync is dropped").until(() -> stagedSyncs("west") == 0);
      assertThat(readAll(sites.west, id)).isEqualTo(before);

      ClientCallStreamObserver<DeltaChunk> cutByRestart = openDelta(channel);
      cutByRestart.onNext(header(state, false));
      cutByRestart.onNext(blocks(0, pattern(72, BLOCK)));
      await("the second sync is being staged").until(() -> stagedSyncs("west") == 1);
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    sites.stopWest(); // mid-sync
    sites.startWest();
    assertThat(stagedSyncs("west")).isZero();
    assertThat(readAll(sites.west, id)).as("the previous consistent point").isEqualTo(before);

    write(sites.east, id, 5 * BLOCK, pattern(73, 100));
    sites.east.resume(Target.volume(id));
    sites.awaitIdentical(id);
  }

  @Test
  void completeSyncNotYetAppliedIsAppliedAtTheNextStart() throws Exception {
    write(sites.east, id, 3 * BLOCK, pattern(74, BLOCK)); // east holds it; the journal carries it
    VolumeState state;
    ManagedChannel channel = linkTo(sites.west);
    try {
      state = westState(channel);
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    sites.stopWest();
    DeltaHeader header = header(state, false).getHeader();
    Path journalDir = sites.root("west").resolve("journal");
    Journal journal = Journal.create(journalDir, header);
    journal.append(blocks(3, pattern(74, BLOCK)));
    journal.seal(DeltaChunk.newBuilder().setCommit(DeltaCommit.newBuilder().setBlockCount(1).setDataBytes(BLOCK)).build());
    journal.markPending(); // as if west stopped between "pending" and applying it

    sites.startWest();
    assertThat(stagedSyncs("west")).isZero();
    assertThat(read(sites.west, id, 3 * BLOCK, BLOCK)).isEqualTo(pattern(74, BLOCK));
    assertThat(readAll(sites.west, id)).isEqualTo(readAll(sites.east, id));

    write(sites.east, id, 7 * BLOCK, pattern(75, 10));
    sites.east.resume(Target.volume(id));
    sites.awaitIdentical(id);
  }

  @Test
  void journalWithItsCommitRecordIsAppliedAtTheNextStartAndATornOneIsDiscarded() throws Exception {
    write(sites.east, id, 3 * BLOCK, pattern(78, BLOCK)); // east holds it; the journal carries it
    byte[] before = readAll(sites.west, id);
    VolumeState state;
    ManagedChannel channel = linkTo(sites.west);
    try {
      state = westState(channel);
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    sites.stopWest();
    DeltaChunk commit = DeltaChunk.newBuilder().setCommit(DeltaCommit.newBuilder().setBlockCount(1).setDataBytes(BLOCK)).build();
    Path journalDir = sites.root("west").resolve("journal");

    // torn: the commit record made it to disk, a block's bytes did not (its CRC32C no longer matches)
    Journal torn = Journal.create(journalDir, header(state, false).getHeader());
    torn.append(blocks(3, pattern(78, BLOCK)));
    Path tornPath = torn.commit(commit);
    byte[] bytes = Files.readAllBytes(tornPath);
    bytes[bytes.length / 2] ^= 0x5a;
    Files.write(tornPath, bytes);
    sites.startWest();
    assertThat(stagedSyncs("west")).isZero();
    assertThat(readAll(sites.west, id)).as("the previous consistent point").isEqualTo(before);

    // committed (as if west stopped right after the commit record was synced, before applying it)
    sites.stopWest();
    Journal committed = Journal.create(journalDir, header(state, false).getHeader());
    committed.append(blocks(3, pattern(78, BLOCK)));
    committed.commit(commit);
    sites.startWest();
    assertThat(stagedSyncs("west")).isZero();
    assertThat(readAll(sites.west, id)).isEqualTo(readAll(sites.east, id));

    write(sites.east, id, 8 * BLOCK, pattern(79, 10));
    sites.east.resume(Target.volume(id));
    sites.awaitIdentical(id);
  }

  @Test
  void restartedPrimaryShipsWhatItWroteBeforeEvenAfterLosingItsBlockMaps() {
    write(sites.east, id, 4 * BLOCK, pattern(76, 1000));
    sites.stopEast();
    sites.startEast();
    assertThat(sites.east.volume(id).role()).isEqualTo(VolumeInfo.Role.PRIMARY);
    assertThat(sites.east.paused(Target.volume(id))).isTrue();
    sites.east.resume(Target.volume(id));
    sites.awaitIdentical(id);

    sites.east.pause(Target.volume(id));
    write(sites.east, id, 6 * BLOCK, pattern(77, 1000));
    sites.stopEast();
    deleteQuietly(sites.root("east").resolve("volumes/" + id + "/bitmaps.bin")); // as after a crash
    sites.startEast();
    sites.east.resume(Target.volume(id));
    sites.awaitIdentical(id);
  }

  // ---------------------------------------------------------------- a raw link client

  private static ManagedChannel linkTo(Site site) {
    return NettyChannelBuilder.forAddress(site.linkAddress()).usePlaintext().build();
  }

  private VolumeState westState(ManagedChannel channel) {
    return ReplicationLinkGrpc.newBlockingStub(channel)
        .getState(GetStateRequest.newBuilder().setSite("test").addVolumeIds(id).build())
        .getVolumes(0);
  }

  private static ClientCallStreamObserver<DeltaChunk> openDelta(ManagedChannel channel) {
    return (ClientCallStreamObserver<DeltaChunk>)
        ReplicationLinkGrpc.newStub(channel)
            .shipDelta(
                new StreamObserver<DeltaAck>() {
                  @Override
                  public void onNext(DeltaAck value) {}

                  @Override
                  public void onError(Throwable t) {}

                  @Override
                  public void onCompleted() {}
                });
  }

  /** The next sync after west's current point. */
  private DeltaChunk header(VolumeState state, boolean full) {
    SyncPoint base = state.getSyncPoint();
    SyncPoint target =
        base.toBuilder().setSeq(base.getSeq() + 1).setSnapshotTimeMicros(base.getSnapshotTimeMicros() + 1).build();
    return DeltaChunk.newBuilder()
        .setHeader(
            DeltaHeader.newBuilder()
                .setSite("test")
                .setDeltaId(UUID.randomUUID().toString())
                .setBlockSize(BLOCK)
                .addVolumes(
                    VolumeDelta.newBuilder()
                        .setVolumeId(id)
                        .setBase(base)
                        .setTarget(target)
                        .setFull(full)
                        .setCapacityBytes(MIB)))
        .build();
  }

  private static DeltaChunk blocks(int index, byte[] data) {
    CRC32C crc = new CRC32C();
    crc.update(data);
    return DeltaChunk.newBuilder()
        .setBlocks(
            BlockBatch.newBuilder()
                .addBlocks(
                    Block.newBuilder()
                        .setVolumeIndex(0)
                        .setIndex(index)
                        .setCrc32C((int) crc.getValue())
                        .setData(UnsafeByteOperations.unsafeWrap(data))))
        .build();
  }

  /**
   * Syncs staged on {@code site}: journal files, and journal slots holding a sync's header (a slot
   * file stays, blanked, once its sync is discarded or recovered).
   */
  private long stagedSyncs(String site) throws Exception {
    long staged;
    try (var files = Files.list(sites.root(site).resolve("journal"))) {
      staged = files.count();
    }
    Path slots = JournalSlot.path(sites.root(site), 0).getParent();
    if (Files.isDirectory(slots)) {
      try (var files = Files.list(slots)) {
        for (Path file : files.toList()) {
          byte[] head = new byte[1];
          try (var in = Files.newInputStream(file)) {
            if (in.read(head) == 1 && head[0] == 'H') {
              staged++;
            }
          }
        }
      }
    }
    return staged;
  }

  private static void deleteQuietly(Path path) {
    try {
      Files.deleteIfExists(path);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
