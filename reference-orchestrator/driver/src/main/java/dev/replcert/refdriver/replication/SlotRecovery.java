package dev.replcert.refdriver.replication;

import dev.replcert.refdriver.link.proto.DeltaHeader;
import dev.replcert.refdriver.link.proto.VolumeDelta;
import dev.replcert.refdriver.storage.AtomicFiles;
import dev.replcert.refdriver.storage.SiteStore;
import dev.replcert.refdriver.storage.SyncPoint;
import dev.replcert.refdriver.storage.Volume;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Start-up recovery of the journal slots ({@link JournalSlot}). A slot holding a committed sync is
 * re-applied to exactly those members whose durable point is still the sync's base: a member the
 * sync's checkpoint reached has its blocks durable and its metadata at the sync's target (or later),
 * so it is skipped; one it did not reach is at the base and gets the blocks again (block writes are
 * idempotent). A slot whose sync is not committed (cut short by the crash) is ignored: its members
 * stay at their previous consistent point. Afterwards the re-applied volumes are made durable
 * (blocks, then metadata) and every slot is blanked durably, so nothing is applied twice.
 */
final class SlotRecovery {

  private static final Logger LOG = LoggerFactory.getLogger(SlotRecovery.class);

  private static final Comparator<SyncPoint> ORDER =
      Comparator.comparingLong(SyncPoint::epoch).thenComparingLong(SyncPoint::seq);

  private record Committed(Path file, DeltaHeader header) {}

  private final SiteStore store;
  private final DeltaApplier applier;

  SlotRecovery(SiteStore store, DeltaApplier applier) {
    this.store = store;
    this.applier = applier;
  }

  void recover(boolean checkCrcs) {
    Path dir = JournalSlots.dir(store);
    List<Path> files = JournalSlots.files(dir);
    List<Committed> committed = new ArrayList<>();
    for (Path file : files) {
      DeltaHeader header = JournalSlot.read(file, checkCrcs, null);
      if (header != null) {
        committed.add(new Committed(file, header));
      }
    }
    // normally at most one committed sync per volume (the next one takes the replication lock,
    // which checkpoints this one first); should a sync committed but never applied (an error after
    // its commit) and its retry both start at a volume's point, the newer one wins
    committed.sort(Comparator.comparing((Committed c) -> newestTarget(c.header()), Comparator.nullsFirst(ORDER)).reversed());
    Set<Volume> applied = new LinkedHashSet<>();
    boolean progress = true;
    while (progress) {
      progress = false;
      for (Committed c : committed) {
        BitSet due = due(c.header());
        if (!due.isEmpty()) {
          LOG.info("re-applying committed sync {} after a restart (members {})", c.header().getDeltaId(), due);
          applier.apply(
              c.header(),
              null,
              sink -> JournalSlot.read(c.file(), false, b -> {
                if (due.get(b.getVolumeIndex())) {
                  sink.accept(b);
                }
              }),
              due,
              new SyncPhases());
          due.stream().forEach(i -> applied.add(store.requireVolume(c.header().getVolumes(i).getVolumeId())));
          committed.remove(c);
          progress = true;
          break;
        }
      }
    }
    applied.forEach(Volume::force);
    applied.forEach(Volume::persistMeta);
    for (Path file : files) {
      try (JournalSlot slot = JournalSlot.open(file, 0, null)) {
        slot.blank(true);
      }
    }
    AtomicFiles.fsyncDirectory(dir); // the slots' entries, whatever the crash left of their creation
  }

  /** The members (by index) whose durable point is this sync's base. */
  private BitSet due(DeltaHeader header) {
    BitSet due = new BitSet();
    for (int i = 0; i < header.getVolumesCount(); i++) {
      VolumeDelta delta = header.getVolumes(i);
      Volume volume = store.volume(delta.getVolumeId());
      SyncPoint base = LinkProtos.point(delta.hasBase(), delta.getBase());
      if (volume != null && !delta.getFull() && base != null && base.sameAs(volume.meta().syncPoint)) {
        due.set(i);
      }
    }
    return due;
  }

  private static SyncPoint newestTarget(DeltaHeader header) {
    return header.getVolumesList().stream()
        .map(delta -> LinkProtos.point(true, delta.getTarget()))
        .max(ORDER)
        .orElse(null);
  }
}
