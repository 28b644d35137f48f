package dev.replcert.refdriver.site;

import dev.replcert.refdriver.DriverException;
import dev.replcert.refdriver.ErrorCode;
import dev.replcert.refdriver.storage.AtomicFiles;
import dev.replcert.refdriver.storage.SiteStore;
import dev.replcert.refdriver.storage.Volume;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/** CSI snapshots: sparse point-in-time copies of a volume's image on the same site. */
final class Snapshots {

  private final SiteStore store;

  Snapshots(SiteStore store) {
    this.store = store;
  }

  synchronized SnapshotInfo create(String sourceVolumeId, String name) {
    if (name == null || name.isBlank()) {
      throw new DriverException(ErrorCode.INVALID_ARGUMENT, "snapshot name missing");
    }
    if (sourceVolumeId == null || sourceVolumeId.isBlank()) {
      throw new DriverException(ErrorCode.INVALID_ARGUMENT, "source volume id missing");
    }
    String id = Ids.snapshot(name);
    Path meta = store.snapshotsDir().resolve(id + ".json");
    if (Files.exists(meta)) {
      SnapshotInfo existing = AtomicFiles.readJson(meta, SnapshotInfo.class);
      if (!existing.sourceVolumeId().equals(sourceVolumeId)) {
        throw new DriverException(
            ErrorCode.ALREADY_EXISTS, "snapshot " + name + " exists for volume " + existing.sourceVolumeId());
      }
      return existing;
    }
    Volume source = store.requireVolume(sourceVolumeId);
    Path image = store.snapshotsDir().resolve(id + ".img");
    source.copyTo(image);
    SnapshotInfo info = new SnapshotInfo(id, name, sourceVolumeId, source.capacity(), Instant.now());
    AtomicFiles.writeJson(meta, info);
    return info;
  }

  synchronized void delete(String snapshotId) {
    if (snapshotId == null || snapshotId.isBlank()) {
      throw new DriverException(ErrorCode.INVALID_ARGUMENT, "snapshot id missing");
    }
    if (!snapshotId.matches("snap-[0-9a-f]{16}")) {
      return; // not an id this driver hands out: nothing to delete
    }
    AtomicFiles.deleteIfExists(store.snapshotsDir().resolve(snapshotId + ".json"));
    AtomicFiles.deleteIfExists(store.snapshotsDir().resolve(snapshotId + ".img"));
  }
}
