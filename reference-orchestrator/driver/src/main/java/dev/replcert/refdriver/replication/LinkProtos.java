package dev.replcert.refdriver.replication;

import dev.replcert.refdriver.link.proto.Role;
import dev.replcert.refdriver.link.proto.VolumeState;
import dev.replcert.refdriver.site.VolumeInfo;
import dev.replcert.refdriver.storage.SiteStore;
import dev.replcert.refdriver.storage.SyncPoint;
import dev.replcert.refdriver.storage.Volume;
import dev.replcert.refdriver.storage.VolumeMeta;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** Conversions between engine state and link messages. */
final class LinkProtos {

  private LinkProtos() {}

  static dev.replcert.refdriver.link.proto.SyncPoint point(SyncPoint point) {
    return dev.replcert.refdriver.link.proto.SyncPoint.newBuilder()
        .setEpoch(point.epoch())
        .setSeq(point.seq())
        .setSnapshotTimeMicros(ChronoUnit.MICROS.between(Instant.EPOCH, point.snapshotTime()))
        .build();
  }

  /** Null for an unset point. */
  static SyncPoint point(boolean present, dev.replcert.refdriver.link.proto.SyncPoint point) {
    if (!present) {
      return null;
    }
    return new SyncPoint(
        point.getEpoch(), point.getSeq(), Instant.EPOCH.plus(point.getSnapshotTimeMicros(), ChronoUnit.MICROS));
  }

  static Role role(VolumeInfo.Role role) {
    return switch (role) {
      case NONE -> Role.ROLE_NONE;
      case PRIMARY -> Role.ROLE_PRIMARY;
      case SECONDARY -> Role.ROLE_SECONDARY;
    };
  }

  static VolumeState state(SiteStore store, String volumeId) {
    Volume volume = store.volume(volumeId);
    if (volume == null) {
      return VolumeState.newBuilder().setVolumeId(volumeId).setExists(false).build();
    }
    VolumeMeta meta = volume.meta();
    VolumeState.Builder state =
        VolumeState.newBuilder()
            .setVolumeId(volumeId)
            .setExists(true)
            .setRole(role(meta.role))
            .setEpoch(meta.epoch)
            .setDivergent(meta.divergent)
            .setResyncRequested(meta.resyncRequested)
            .setCapacityBytes(meta.capacityBytes);
    if (meta.syncPoint != null) {
      state.setSyncPoint(point(meta.syncPoint));
    }
    store.groupOf(volumeId).ifPresent(g -> state.setGroupId(g.id()));
    return state.build();
  }
}
