package dev.replcert.refdriver.replication;

import com.google.protobuf.ByteString;
import dev.replcert.refdriver.Defect;
import dev.replcert.refdriver.DriverOptions;
import dev.replcert.refdriver.link.proto.Block;
import dev.replcert.refdriver.link.proto.BlockBatch;
import dev.replcert.refdriver.link.proto.DeltaAck;
import dev.replcert.refdriver.link.proto.DeltaChunk;
import dev.replcert.refdriver.link.proto.DeltaCommit;
import dev.replcert.refdriver.link.proto.DeltaHeader;
import dev.replcert.refdriver.link.proto.Reject;
import dev.replcert.refdriver.link.proto.VolumeDelta;
import dev.replcert.refdriver.site.VolumeInfo;
import dev.replcert.refdriver.storage.Blocks;
import dev.replcert.refdriver.storage.Checkpoint;
import dev.replcert.refdriver.storage.ByteStrings;
import dev.replcert.refdriver.storage.SiteStore;
import dev.replcert.refdriver.storage.SyncPoint;
import dev.replcert.refdriver.storage.Volume;
import dev.replcert.refdriver.storage.VolumeMeta;
import io.grpc.stub.StreamObserver;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import dev.replcert.refdriver.storage.AtomicFiles;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The secondary's side of one ShipDelta call. Stages the whole delta (journal for incremental
 * members, a new image for full ones) while checking every block's CRC32C, makes it durable, and
 * only then, under the replication locks and after checking again that the base still matches,
 * marks it pending and applies it atomically ({@link DeltaApplier}). Anything short of that (a
 * sender that dies, a bad checksum, a cancelled call, a restart) discards the staged data: the
 * volume stays at its previous consistent point.
 *
 * <p>A delta whose members are all incremental (every periodic sync after the first) is journaled
 * in a reused {@link JournalSlot}, and its checkpoint (the volumes' blocks and metadata made durable,
 * the slot freed) runs after the acknowledgement, a little later on another thread or when the
 * next operation takes one of the volumes' replication locks, whichever comes first: until then
 * the committed slot keeps the sync durable. That keeps the secondary's device flushes out of the
 * way of the primary's record of the point, which follows the acknowledgement.
 */
final class DeltaReceiver implements StreamObserver<DeltaChunk> {

  private static final Logger LOG = LoggerFactory.getLogger(DeltaReceiver.class);

  private final SiteStore store;
  private final DriverOptions options;
  private final DeltaApplier applier;
  private final StreamObserver<DeltaAck> acks;

  private DeltaHeader header;
  private List<Volume> volumes;
  private Journal journal;
  /** The reused journal of an all-incremental delta (null for the others). */
  private JournalSlot slot;
  /** NON_ATOMIC_SYNC_APPLY: blocks go straight into the live volume. */
  private boolean direct;
  private final Map<Integer, FullStager> stagers = new HashMap<>();
  private long blocks;
  private long dataBytes;
  private boolean finished;
  private final SyncPhases phases = new SyncPhases();
  /** The journal's directory entry made durable (on the journal syncer thread, while blocks arrive). */
  private CompletableFuture<Void> journalEntry;

  private final Executor journalSyncer;
  private final JournalSlots slots;
  private final ScheduledExecutorService checkpointer;

  /**
   * How long after its acknowledgement an incremental sync's checkpoint runs on its own: long
   * enough for the primary to make its record of the point durable without sharing the device with
   * this site's flushes (both sites may sit on one disk), short enough that the slot is free again
   * long before the next periodic sync.
   */
  static final Duration CHECKPOINT_DELAY = Duration.ofMillis(50);

  DeltaReceiver(
      SiteStore store,
      DriverOptions options,
      DeltaApplier applier,
      Executor journalSyncer,
      JournalSlots slots,
      ScheduledExecutorService checkpointer,
      StreamObserver<DeltaAck> acks) {
    this.store = store;
    this.options = options;
    this.applier = applier;
    this.journalSyncer = journalSyncer;
    this.slots = slots;
    this.checkpointer = checkpointer;
    this.acks = acks;
  }

  @Override
  public void onNext(DeltaChunk chunk) {
    if (finished) {
      return;
    }
    try {
      switch (chunk.getPartCase()) {
        case HEADER -> start(chunk.getHeader());
        case BLOCKS -> receive(chunk);
        case COMMIT -> commit(chunk);
        default -> throw new Rejection(Reject.REJECT_INCOMPLETE, "empty chunk");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      discard();
      answer(DeltaAck.newBuilder().setApplied(false).setReject(Reject.REJECT_BUSY).setMessage("interrupted"));
    } catch (Rejection r) {
      LOG.info("{}: sync {} rejected: {}", options.site(), deltaId(), r.getMessage());
      discard();
      answer(DeltaAck.newBuilder().setApplied(false).setReject(r.reason()).setMessage(r.getMessage()));
    } catch (RuntimeException e) {
      LOG.warn("{}: sync {} failed", options.site(), deltaId(), e);
      discard();
      answer(DeltaAck.newBuilder().setApplied(false).setReject(Reject.REJECT_INTERNAL).setMessage(String.valueOf(e)));
    }
  }

  /** The sender gave up or the call was cancelled (deadline, shutdown): drop what was staged. */
  @Override
  public void onError(Throwable t) {
    if (!finished) {
      LOG.info("{}: sync {} abandoned by the sender: {}", options.site(), deltaId(), t.toString());
      finished = true;
      discard();
    }
  }

  @Override
  public void onCompleted() {
    if (!finished) {
      discard();
      answer(
          DeltaAck.newBuilder()
              .setApplied(false)
              .setReject(Reject.REJECT_INCOMPLETE)
              .setMessage("the delta ended without a commit"));
    }
  }

  private void start(DeltaHeader h) {
    if (header != null) {
      throw new Rejection(Reject.REJECT_INCOMPLETE, "second header");
    }
    header = h;
    if (!h.getDeltaId().matches("[0-9a-fA-F-]{1,64}")) {
      throw new Rejection(Reject.REJECT_INTERNAL, "malformed delta id"); // it names files here
    }
    if (h.getBlockSize() != Blocks.SIZE) {
      throw new Rejection(Reject.REJECT_INTERNAL, "block size " + h.getBlockSize() + " differs from " + Blocks.SIZE);
    }
    volumes = admit(store, h);
    if (options.has(Defect.NON_ATOMIC_SYNC_APPLY)) {
      direct = true;
      return; // the defect writes each block straight into the live volume
    }
    if (h.getVolumesList().stream().noneMatch(VolumeDelta::getFull)) {
      slot = slots.acquire();
      slot.begin(h);
      return;
    }
    journal = Journal.create(store.journalDir(), h);
    journalEntry = durableEntries(store.journalDir());
    for (int i = 0; i < h.getVolumesCount(); i++) {
      if (h.getVolumes(i).getFull()) {
        boolean keepOld = options.has(Defect.RESYNC_KEEPS_DIVERGENT_DATA) && volumes.get(i).meta().divergent;
        stagers.put(i, new FullStager(volumes.get(i), h.getDeltaId(), keepOld, journalSyncer));
      }
    }
  }

  private void receive(DeltaChunk chunk) throws InterruptedException {
    if (header == null) {
      throw new Rejection(Reject.REJECT_INCOMPLETE, "blocks before the header");
    }
    BlockBatch batch = chunk.getBlocks();
    boolean incrementalOnly = true;
    for (Block block : batch.getBlocksList()) {
      verify(block);
      blocks++;
      dataBytes += block.getData().size();
      ByteString data = block.getZero() ? null : block.getData();
      if (direct) {
        applyDirectly(block, data);
        continue;
      }
      FullStager stager = stagers.get(block.getVolumeIndex());
      if (stager != null) {
        stager.add((int) block.getIndex(), data);
        incrementalOnly = false;
      }
    }
    for (FullStager stager : stagers.values()) {
      stager.flush();
    }
    if (slot != null) {
      slot.append(batch.getBlocksList()); // the frames as they arrived, no re-encoding
    } else if (journal != null) {
      journal.append(incrementalOnly ? chunk : incrementalPart(batch));
    }
  }

  private DeltaChunk incrementalPart(BlockBatch batch) {
    BlockBatch.Builder incremental = BlockBatch.newBuilder();
    for (Block block : batch.getBlocksList()) {
      if (!stagers.containsKey(block.getVolumeIndex())) {
        incremental.addBlocks(block);
      }
    }
    return DeltaChunk.newBuilder().setBlocks(incremental).build();
  }

  private void verify(Block block) {
    if (block.getVolumeIndex() < 0 || block.getVolumeIndex() >= volumes.size()) {
      throw new Rejection(Reject.REJECT_INTERNAL, "block for unknown volume index " + block.getVolumeIndex());
    }
    Volume volume = volumes.get(block.getVolumeIndex());
    if (block.getIndex() < 0 || block.getIndex() >= Blocks.count(volume.capacity())) {
      throw new Rejection(Reject.REJECT_INTERNAL, "block " + block.getIndex() + " outside volume " + volume.id());
    }
    if (options.has(Defect.CORRUPT_BLOCK_IN_TRANSFER)) {
      return; // the defect trusts the link
    }
    int length = Blocks.length(volume.capacity(), (int) block.getIndex());
    int crc;
    if (block.getZero()) {
      CRC32C zeros = new CRC32C();
      zeros.update(new byte[length]);
      crc = (int) zeros.getValue();
    } else {
      if (block.getData().size() != length) {
        throw new Rejection(Reject.REJECT_CHECKSUM_MISMATCH, "block " + block.getIndex() + " has a wrong length");
      }
      crc = ByteStrings.crc32c(block.getData());
    }
    if (crc != block.getCrc32C()) {
      throw new Rejection(
          Reject.REJECT_CHECKSUM_MISMATCH,
          "checksum mismatch in block " + block.getIndex() + " of volume " + volume.id() + ": sync rejected");
    }
  }

  private void commit(DeltaChunk chunk) throws InterruptedException {
    if (header == null) {
      throw new Rejection(Reject.REJECT_INCOMPLETE, "commit before the header");
    }
    DeltaCommit commit = chunk.getCommit();
    if (commit.getBlockCount() != blocks || commit.getDataBytes() != dataBytes) {
      throw new Rejection(
          Reject.REJECT_INCOMPLETE,
          "received " + blocks + " blocks / " + dataBytes + " bytes, sender shipped " + commit.getBlockCount() + " / "
              + commit.getDataBytes());
    }
    if (direct) {
      commitDirect();
      return;
    }
    phases.lap("receive");
    if (slot != null) {
      slot.awaitEntry();
    } else {
      journal.flush();
      for (FullStager stager : stagers.values()) {
        stager.seal();
      }
      awaitEntry();
    }
    phases.lap("seal");
    List<ReentrantLock> locks = Locks.repl(volumes);
    boolean locked;
    try {
      locked = Locks.all(locks, Instant.now().plusSeconds(10));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Rejection(Reject.REJECT_BUSY, "interrupted");
    }
    if (!locked) {
      throw new Rejection(Reject.REJECT_BUSY, "another operation holds the volumes");
    }
    try {
      phases.lap("lock");
      admit(store, header); // again: a promote or another sync may have happened meanwhile
      if (slot != null) {
        commitSlot();
        return;
      }
      Path committed = journal.commit(chunk);
      Journal committing = journal;
      journal = null;
      phases.lap("commit");
      Map<Integer, BitSet> allocated = new HashMap<>();
      stagers.forEach((i, s) -> allocated.put(i, s.allocated()));
      stagers.clear();
      applier.apply(header, allocated, DeltaApplier.blocks(committed, committing.kept()), phases);
      answer(applied());
      // durable already through the journal; now the volumes themselves, before anything else
      // (still under the replication locks) changes them
      try {
        applier.finish(committed, header);
      } catch (RuntimeException e) {
        LOG.error("{}: sync {} applied but not finished; its journal stays and is re-applied at the next start",
            options.site(), deltaId(), e);
      }
    } finally {
      Locks.unlockAll(locks);
    }
  }

  /**
   * Commits and applies an all-incremental delta from its slot, under the replication locks; its
   * checkpoint is registered on the volumes before the locks go (so whoever takes one next runs it
   * first) and scheduled to run on its own soon after the acknowledgement.
   */
  private void commitSlot() {
    JournalSlot committed = slot;
    committed.commit(blocks, dataBytes);
    slot = null; // committed: it keeps the sync durable until the checkpoint (or the next start)
    phases.lap("commit");
    applier.apply(header, null, committed.blocks(), phases);
    Checkpoint checkpoint = Checkpoint.register(volumes, DeltaApplier.checkpoint(volumes, committed, slots));
    answer(applied());
    try {
      checkpointer.schedule(() -> runCheckpoint(checkpoint), CHECKPOINT_DELAY.toNanos(), TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      // closing: closing the volumes runs it
    }
  }

  private void runCheckpoint(Checkpoint checkpoint) {
    try {
      checkpoint.run();
    } catch (RuntimeException e) {
      LOG.warn("{}: checkpoint of sync {} failed; retried when a volume of it is locked next", options.site(), deltaId(), e);
    }
  }

  private CompletableFuture<Void> durableEntries(Path dir) {
    try {
      return CompletableFuture.runAsync(() -> AtomicFiles.fsyncDirectory(dir), journalSyncer);
    } catch (RejectedExecutionException e) {
      AtomicFiles.fsyncDirectory(dir); // closing: do it here
      return CompletableFuture.completedFuture(null);
    }
  }

  private void awaitEntry() throws InterruptedException {
    try {
      journalEntry.get();
    } catch (ExecutionException e) {
      throw new IllegalStateException("cannot sync the journal directory", e.getCause());
    }
  }

  /** NON_ATOMIC_SYNC_APPLY: blocks went straight into the volume; now only the point is recorded. */
  private void applyDirectly(Block block, ByteString data) {
    Volume volume = volumes.get(block.getVolumeIndex());
    volume.ioLock().lock();
    try {
      volume.applyBlock((int) block.getIndex(), data);
    } finally {
      volume.ioLock().unlock();
    }
    // a non-atomic apply over a real link leaves the volume half-applied for as long as the rest of
    // the sync takes to arrive; over loopback that is microseconds, which no reader could ever see
    java.util.concurrent.locks.LockSupport.parkNanos(NON_ATOMIC_BLOCK_GAP.toNanos());
  }

  /** How long the NON_ATOMIC_SYNC_APPLY defect leaves the volume between two applied blocks. */
  private static final java.time.Duration NON_ATOMIC_BLOCK_GAP = java.time.Duration.ofMillis(2);

  private void commitDirect() {
    for (int i = 0; i < volumes.size(); i++) {
      Volume volume = volumes.get(i);
      volume.force();
      DeltaApplier.recordPoint(volume, LinkProtos.point(true, header.getVolumes(i).getTarget()));
    }
    answer(applied());
  }

  private DeltaAck.Builder applied() {
    DeltaAck.Builder ack = DeltaAck.newBuilder().setApplied(true).putAllPhaseNanos(phases.nanos());
    volumes.forEach(v -> ack.addVolumes(LinkProtos.state(store, v.id())));
    return ack;
  }

  /**
   * Whether this site takes the delta: every volume exists and is a secondary; an incremental
   * delta must start exactly at the volume's sync point of a clean replica; a full one is taken by
   * a clean replica, or by a diverged one that asked for a resync.
   */
  static List<Volume> admit(SiteStore store, DeltaHeader header) {
    List<Volume> volumes = new ArrayList<>();
    for (VolumeDelta delta : header.getVolumesList()) {
      Volume volume = store.volume(delta.getVolumeId());
      if (volume == null) {
        throw new Rejection(Reject.REJECT_NOT_FOUND, "volume " + delta.getVolumeId() + " has no replica here");
      }
      VolumeMeta meta = volume.meta();
      if (meta.role != VolumeInfo.Role.SECONDARY) {
        throw new Rejection(
            Reject.REJECT_NOT_SECONDARY, "volume " + volume.id() + " is " + meta.role + " here (epoch " + meta.epoch + ")");
      }
      SyncPoint target = LinkProtos.point(delta.hasTarget(), delta.getTarget());
      if (target == null || target.epoch() < meta.epoch) {
        throw new Rejection(
            Reject.REJECT_BASE_MISMATCH,
            "volume " + volume.id() + " has seen epoch " + meta.epoch + ", the delta is from an older one");
      }
      if (meta.divergent && !(delta.getFull() && meta.resyncRequested)) {
        throw new Rejection(Reject.REJECT_DIVERGENT, "volume " + volume.id() + " diverged and needs a resync");
      }
      SyncPoint base = LinkProtos.point(delta.hasBase(), delta.getBase());
      if (!delta.getFull() && (base == null || !base.sameAs(meta.syncPoint))) {
        throw new Rejection(
            Reject.REJECT_BASE_MISMATCH,
            "volume " + volume.id() + " is at " + meta.syncPoint + ", the delta starts at " + base);
      }
      volumes.add(volume);
    }
    return volumes;
  }

  private void discard() {
    finished = true;
    if (journal != null) {
      journal.discard();
      journal = null;
    }
    if (slot != null) {
      slot.blank(false); // never committed: nothing to keep
      slots.release(slot);
      slot = null;
    }
    stagers.values().forEach(FullStager::discard);
    stagers.clear();
  }

  private void answer(DeltaAck.Builder ack) {
    finished = true;
    try {
      acks.onNext(ack.build());
      acks.onCompleted();
    } catch (RuntimeException e) {
      // the call was cancelled meanwhile; the sender learns it from its own side
    }
  }

  private String deltaId() {
    return header == null ? "(no header)" : header.getDeltaId();
  }
}
