package dev.replcert.refdriver.replication;

import dev.replcert.refdriver.Defect;
import dev.replcert.refdriver.DriverException;
import dev.replcert.refdriver.DriverOptions;
import dev.replcert.refdriver.link.proto.Block;
import dev.replcert.refdriver.link.proto.DeltaChunk;
import dev.replcert.refdriver.link.proto.DeltaHeader;
import dev.replcert.refdriver.link.proto.VolumeDelta;
import dev.replcert.refdriver.storage.AtomicFiles;
import dev.replcert.refdriver.storage.SiteStore;
import dev.replcert.refdriver.storage.SyncPoint;
import dev.replcert.refdriver.storage.Volume;
import dev.replcert.refdriver.storage.VolumeFile;
import dev.replcert.refdriver.storage.VolumeMeta;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies a committed delta on the secondary: under the I/O locks of all its volumes at once (a
 * reader never sees half a sync, of one volume or across a group), swaps in the staged full images,
 * writes the journal's blocks and publishes the new sync point; then makes blocks and metadata
 * durable, and only then deletes the journal. Also the restart recovery of the journal directory.
 */
public final class DeltaApplier {

  private static final Logger LOG = LoggerFactory.getLogger(DeltaApplier.class);

  private final SiteStore store;
  private final DriverOptions options;

  public DeltaApplier(SiteStore store, DriverOptions options) {
    this.store = store;
    this.options = options;
  }

  /** The blocks of a committed delta, in order: from memory or read back from its journal. */
  @FunctionalInterface
  public interface BlockSource {
    void forEach(Consumer<Block> block);
  }

  /** A legacy journal's blocks: its chunks kept in memory, or read back from the file. */
  static BlockSource blocks(Path journal, List<DeltaChunk> kept) {
    Consumer<Consumer<DeltaChunk>> chunks = kept != null ? kept::forEach : c -> Journal.replay(journal, c);
    return block ->
        chunks.accept(
            chunk -> {
              if (chunk.hasBlocks()) {
                chunk.getBlocks().getBlocksList().forEach(block);
              }
            });
  }

  /**
   * Applies a committed journal: under the I/O locks of all its volumes at once, swaps in the staged
   * full images, writes the journal's blocks and publishes the new sync points. The blocks and the
   * metadata are made durable afterwards (by {@link #finish}, or by a {@link
   * dev.replcert.refdriver.storage.Checkpoint}), which must run before anything else changes these
   * volumes (the caller holds their replication locks until then or registers the checkpoint under
   * them, or runs before anything else, at start): until it has, the journal is what makes the sync
   * durable.
   *
   * @param staged allocation maps of the staged full images by volume index, null in recovery
   * @param blocks the journal's blocks
   * @param phases where the time goes
   */
  public void apply(DeltaHeader header, Map<Integer, BitSet> staged, BlockSource blocks, SyncPhases phases) {
    apply(header, staged, blocks, null, phases);
  }

  /**
   * Like {@link #apply(DeltaHeader, Map, BlockSource, SyncPhases)} for the members whose index is
   * set in {@code members} only (null: all); the others' blocks are skipped and their points stay.
   */
  void apply(DeltaHeader header, Map<Integer, BitSet> staged, BlockSource blocks, BitSet members, SyncPhases phases) {
    List<Volume> volumes = new ArrayList<>();
    for (int i = 0; i < header.getVolumesCount(); i++) {
      volumes.add(members == null || members.get(i) ? store.requireVolume(header.getVolumes(i).getVolumeId()) : null);
    }
    List<Volume> applied = volumes.stream().filter(v -> v != null).toList();
    List<ReentrantLock> ioLocks = Locks.io(applied);
    List<Volume> firstSyncs = new ArrayList<>();
    Locks.lockAll(ioLocks);
    try {
      for (int i = 0; i < header.getVolumesCount(); i++) {
        VolumeDelta delta = header.getVolumes(i);
        Volume volume = volumes.get(i);
        if (volume == null) {
          continue;
        }
        Path staging = volume.stagingPath(header.getDeltaId());
        if (delta.getFull() && Files.exists(staging)) {
          BitSet allocated = staged != null ? staged.get(i) : scan(staging, volume.capacity());
          volume.replaceImage(staging, allocated);
        }
      }
      phases.lap("replace");
      blocks.forEach(
          block -> {
            Volume volume = volumes.get(block.getVolumeIndex());
            if (volume != null) {
              volume.applyBlock((int) block.getIndex(), block.getZero() ? null : block.getData());
            }
          });
      phases.lap("replay");
      for (int i = 0; i < header.getVolumesCount(); i++) {
        Volume volume = volumes.get(i);
        if (volume == null) {
          continue;
        }
        if (volume.meta().syncPoint == null) {
          firstSyncs.add(volume);
        }
        SyncPoint point = LinkProtos.point(true, header.getVolumes(i).getTarget());
        volume.publishMeta(m -> atPoint(m, point));
      }
      if (options.has(Defect.PROMOTE_ROLLS_BACK)) {
        // the defect keeps the first sync aside and force promote brings it back
        firstSyncs.forEach(v -> v.copyTo(firstSyncCopy(v)));
      }
      phases.lap("publish");
    } finally {
      Locks.unlockAll(ioLocks);
    }
  }

  /**
   * Makes an applied journal's effect durable (the incremental members' blocks, then every
   * member's metadata) and only then deletes the journal.
   */
  public void finish(Path journal, DeltaHeader header) {
    List<Volume> volumes = volumes(header);
    for (int i = 0; i < header.getVolumesCount(); i++) {
      if (!header.getVolumes(i).getFull()) {
        volumes.get(i).force(); // a full member's image was durable before it replaced the old one
      }
    }
    volumes.forEach(Volume::persistMeta);
    AtomicFiles.deleteIfExists(journal);
  }

  /**
   * The checkpoint of an incremental sync applied from a journal slot: the volumes' blocks, then
   * their metadata at the new point, made durable; then the slot blanked durably, so a restart
   * never applies it again once anything else may have changed the volumes (see {@link
   * SlotRecovery}); then the slot is free for the next sync.
   */
  static Runnable checkpoint(List<Volume> volumes, JournalSlot slot, JournalSlots slots) {
    return () -> {
      volumes.forEach(Volume::force);
      volumes.forEach(Volume::persistMeta);
      if (slot.usable()) {
        slot.blank(true);
      } else {
        slot.reopen(); // closed by an interrupt: reopened and blanked durably
      }
      slots.release(slot);
    };
  }

  /** The volume now holds {@code point}: a clean secondary at it. */
  static void recordPoint(Volume volume, SyncPoint point) {
    volume.updateMeta(m -> atPoint(m, point));
  }

  private static void atPoint(VolumeMeta m, SyncPoint point) {
    m.syncPoint = point;
    m.epoch = Math.max(m.epoch, point.epoch());
    m.divergent = false;
    m.resyncRequested = false;
  }

  /** Where the PROMOTE_ROLLS_BACK defect keeps the first applied sync. */
  public static Path firstSyncCopy(Volume volume) {
    return volume.dir().resolve("first-sync.img");
  }

  /**
   * Start-up recovery: re-applies every pending delta (it was complete and verified), discards
   * every partial one with its staged images. Volumes end at their last consistent point.
   */
  public void recover() {
    for (Path file : list(store.journalDir())) {
      String name = file.getFileName().toString();
      boolean committed =
          name.endsWith(".pending") || Journal.committed(file, !options.has(Defect.CORRUPT_BLOCK_IN_TRANSFER));
      DeltaHeader header = committed ? Journal.header(file) : null;
      if (header == null) {
        LOG.info("discarding the half-received sync {}", name);
        AtomicFiles.deleteIfExists(file);
        continue;
      }
      try {
        if (overtaken(header)) {
          LOG.warn("committed sync {} is older than its volumes' points: dropped", header.getDeltaId());
        } else {
          LOG.info("re-applying committed sync {} after a restart", header.getDeltaId());
          apply(header, null, blocks(file, null), new SyncPhases());
          finish(file, header);
        }
      } catch (DriverException e) {
        LOG.warn("committed sync {} dropped: {}", header.getDeltaId(), e.getMessage()); // volume gone
      }
      AtomicFiles.deleteIfExists(file);
    }
    new SlotRecovery(store, this).recover(!options.has(Defect.CORRUPT_BLOCK_IN_TRANSFER));
    for (Volume volume : store.volumes()) {
      for (Path file : list(volume.dir())) {
        if (file.getFileName().toString().startsWith("staging-")) {
          AtomicFiles.deleteIfExists(file);
        }
      }
    }
  }

  /**
   * A committed journal some volume has already moved past (a journal left behind by a failed
   * {@link #finish}): applying it again would roll newer data back.
   */
  private boolean overtaken(DeltaHeader header) {
    for (VolumeDelta delta : header.getVolumesList()) {
      SyncPoint current = store.requireVolume(delta.getVolumeId()).meta().syncPoint;
      SyncPoint target = LinkProtos.point(true, delta.getTarget());
      if (current != null
          && (current.epoch() > target.epoch() || (current.epoch() == target.epoch() && current.seq() > target.seq()))) {
        return true;
      }
    }
    return false;
  }

  private List<Volume> volumes(DeltaHeader header) {
    List<Volume> volumes = new ArrayList<>();
    for (VolumeDelta delta : header.getVolumesList()) {
      volumes.add(store.requireVolume(delta.getVolumeId()));
    }
    return volumes;
  }

  private static BitSet scan(Path image, long capacity) {
    try (VolumeFile file = VolumeFile.open(image, capacity)) {
      return file.scanNonZero();
    }
  }

  private static List<Path> list(Path dir) {
    try (var entries = Files.list(dir)) {
      return entries.sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir, e);
    }
  }
}
