package dev.replcert.refdriver.replication;

import dev.replcert.refdriver.Defect;
import dev.replcert.refdriver.DriverException;
import dev.replcert.refdriver.DriverOptions;
import dev.replcert.refdriver.link.proto.Block;
import dev.replcert.refdriver.link.proto.DeltaHeader;
import dev.replcert.refdriver.link.proto.VolumeDelta;
import dev.replcert.refdriver.storage.AtomicFiles;
import dev.replcert.refdriver.storage.SiteStore;
import dev.replcert.refdriver.storage.SyncPoint;
import dev.replcert.refdriver.storage.Volume;
import dev.replcert.refdriver.storage.VolumeFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies a pending delta on the secondary: under the I/O locks of all its volumes at once (a
 * reader never sees half a sync, of one volume or across a group), swaps in the staged full images,
 * replays the journal's blocks, makes them durable, records the new sync point, and only then
 * deletes the journal. Also the restart recovery of the journal directory.
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
   * Applies a pending journal. The caller holds the replication locks of its volumes (or runs
   * before anything else, at start).
   *
   * @param staged allocation maps of the staged full images by volume index, null in recovery
   * @param phases where the time goes
   */
  public void apply(Path pending, DeltaHeader header, Map<Integer, BitSet> staged, SyncPhases phases) {
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
      Journal.replay(
          pending,
          chunk -> {
            if (chunk.hasBlocks()) {
              for (Block block : chunk.getBlocks().getBlocksList()) {
                volumes.get(block.getVolumeIndex())
                    .applyBlock((int) block.getIndex(), block.getZero() ? null : block.getData());
              }
            }
          });
      phases.lap("replay");
      for (int i = 0; i < header.getVolumesCount(); i++) {
        VolumeDelta delta = header.getVolumes(i);
        Volume volume = volumes.get(i);
        if (!delta.getFull()) {
          volume.force();
          phases.lap("force");
        }
        if (volume.meta().syncPoint == null) {
          firstSyncs.add(volume);
        }
        recordPoint(volume, LinkProtos.point(true, delta.getTarget()));
        phases.lap("record");
      }
      if (options.has(Defect.PROMOTE_ROLLS_BACK)) {
        // the defect keeps the first sync aside and force promote brings it back
        firstSyncs.forEach(v -> v.copyTo(firstSyncCopy(v)));
      }
    } finally {
      Locks.unlockAll(ioLocks);
    }
    AtomicFiles.deleteIfExists(pending);
    phases.lap("cleanup");
  }

  /** The volume now holds {@code point}: a clean secondary at it. */
  static void recordPoint(Volume volume, SyncPoint point) {
    volume.updateMeta(
        m -> {
          m.syncPoint = point;
          m.epoch = Math.max(m.epoch, point.epoch());
          m.divergent = false;
          m.resyncRequested = false;
        });
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
      if (name.endsWith(".pending")) {
        DeltaHeader header = Journal.header(file);
        if (header == null) {
          LOG.warn("unreadable pending journal {} dropped", file);
          AtomicFiles.deleteIfExists(file);
          continue;
        }
        LOG.info("re-applying pending sync {} after a restart", header.getDeltaId());
        try {
          apply(file, header, null, new SyncPhases());
        } catch (DriverException e) {
          LOG.warn("pending sync {} dropped: {}", header.getDeltaId(), e.getMessage()); // volume gone
          AtomicFiles.deleteIfExists(file);
        }
      } else {
        LOG.info("discarding the half-received sync {}", name);
        AtomicFiles.deleteIfExists(file);
      }
    }
    for (Volume volume : store.volumes()) {
      for (Path file : list(volume.dir())) {
        if (file.getFileName().toString().startsWith("staging-")) {
          AtomicFiles.deleteIfExists(file);
        }
      }
    }
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
