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
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Start-up recovery of the journal slots ({@link JournalSlot}). A slot still holding a committed
 * sync means its checkpoint did not complete (the checkpoint blanks the slot durably as its last
 * step), so nothing but that sync and metadata-only changes can have touched its volumes since:
 * the sync is re-applied to every member whose durable point is the sync's base or its target (a
 * metadata write or a partial checkpoint may have made the target durable before the blocks; block
 * writes are idempotent). A member at any other point has moved past the sync (a slot left by a
 * sync that failed after its commit and was retried) and is skipped. A slot whose sync is not
 * committed (cut short by the crash) is ignored: its members stay at their previous consistent
 * point. Afterwards the re-applied volumes are made durable (blocks, then metadata) and every slot
 * is blanked durably, so nothing is applied twice.
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
    Set<String> done = new HashSet<>(); // a volume gets at most one sync (the newest) here
    boolean progress = true;
    while (progress) {
      progress = false;
      for (Committed c : committed) {
        BitSet due = due(c.header(), done);
        if (!due.isEmpty()) {
          LOG.info("re-applying committed sync {} after a restart (members {})", c.header().getDeltaId(), due);
          applier.apply(
              c.header(),
              null,
              sink -> JournalSlot.replay(c.file(), b -> {
                if (due.get(b.getVolumeIndex())) {
                  sink.accept(b);
                }
              }),
              due,
              new SyncPhases());
          due.stream().forEach(i -> applied.add(store.requireVolume(c.header().getVolumes(i).getVolumeId())));
          applied.forEach(v -> done.add(v.id()));
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

  /** The members (by index) whose durable point is this sync's base or target. */
  private BitSet due(DeltaHeader header, Set<String> done) {
    BitSet due = new BitSet();
    for (int i = 0; i < header.getVolumesCount(); i++) {
      VolumeDelta delta = header.getVolumes(i);
      Volume volume = store.volume(delta.getVolumeId());
      if (volume == null || delta.getFull() || done.contains(volume.id())) {
        continue;
      }
      SyncPoint point = volume.meta().syncPoint;
      SyncPoint base = LinkProtos.point(delta.hasBase(), delta.getBase());
      SyncPoint target = LinkProtos.point(true, delta.getTarget());
      if ((base != null && base.sameAs(point)) || target.sameAs(point)) {
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
