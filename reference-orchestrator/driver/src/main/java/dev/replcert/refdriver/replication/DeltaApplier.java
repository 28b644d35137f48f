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

  /**
   * Applies a committed journal: under the I/O locks of all its volumes at once, swaps in the staged
   * full images, writes the journal's blocks and publishes the new sync points. The blocks and the
   * metadata are made durable afterwards by {@link #finish}, which must run before anything else
   * changes these volumes (the caller holds their replication locks throughout, or runs before
   * anything else, at start): until it has, the journal is what makes the sync durable.
   *
   * @param staged allocation maps of the staged full images by volume index, null in recovery
   * @param kept the journal's block chunks in memory, or null to read them from the file
   * @param phases where the time goes
   */
  public void apply(Path journal, DeltaHeader header, Map<Integer, BitSet> staged, List<DeltaChunk> kept, SyncPhases phases) {
    List<Volume> volumes = volumes(header);
    List<ReentrantLock> ioLocks = Locks.io(volumes);
    List<Volume> firstSyncs = new ArrayList<>();
    Locks.lockAll(ioLocks);
    try {
      for (int i = 0; i < header.getVolumesCount(); i++) {
        VolumeDelta delta = header.getVolumes(i);
        Volume volume = volumes.get(i);
        Path staging = volume.stagingPath(header.getDeltaId());
        if (delta.getFull() && Files.exists(staging)) {
          BitSet allocated = staged != null ? staged.get(i) : scan(staging, volume.capacity());
          volume.replaceImage(staging, allocated);
        }
      }
      phases.lap("replace");
      Consumer<DeltaChunk> write =
          chunk -> {
            if (chunk.hasBlocks()) {
              for (Block block : chunk.getBlocks().getBlocksList()) {
                volumes.get(block.getVolumeIndex())
                    .applyBlock((int) block.getIndex(), block.getZero() ? null : block.getData());
              }
            }
          };
      if (kept != null) {
        kept.forEach(write);
      } else {
        Journal.replay(journal, write);
      }
      phases.lap("replay");
      for (int i = 0; i < header.getVolumesCount(); i++) {
        Volume volume = volumes.get(i);
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
          apply(file, header, null, null, new SyncPhases());
          finish(file, header);
        }
      } catch (DriverException e) {
        LOG.warn("committed sync {} dropped: {}", header.getDeltaId(), e.getMessage()); // volume gone
      }
      AtomicFiles.deleteIfExists(file);
    }
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
