package dev.replcert.refdriver.grpc;

import com.google.protobuf.Duration;
import com.google.protobuf.Timestamp;
import dev.replcert.api.csi.v1.Snapshot;
import dev.replcert.api.csi.v1.Volume;
import dev.replcert.api.csiaddons.volumegroup.VolumeGroup;
import dev.replcert.refdriver.site.SnapshotInfo;
import dev.replcert.refdriver.site.VolumeGroupInfo;
import dev.replcert.refdriver.site.VolumeInfo;
import java.time.Instant;

/** Engine records to protobuf messages. */
final class Protos {

  private Protos() {}

  static Volume volume(VolumeInfo info) {
    return Volume.newBuilder()
        .setVolumeId(info.volumeId())
        .setCapacityBytes(info.capacityBytes())
        .putAllVolumeContext(info.context())
        .build();
  }

  static VolumeGroup group(VolumeGroupInfo info) {
    VolumeGroup.Builder group =
        VolumeGroup.newBuilder().setVolumeGroupId(info.groupId()).putAllVolumeGroupContext(info.context());
    info.volumes().forEach(v -> group.addVolumes(volume(v)));
    return group.build();
  }

  static Snapshot snapshot(SnapshotInfo info) {
    Snapshot.Builder snapshot =
        Snapshot.newBuilder()
            .setSnapshotId(info.snapshotId())
            .setSourceVolumeId(info.sourceVolumeId())
            .setSizeBytes(info.sizeBytes())
            // the engine copies the data before it answers: usable at once
            .setReadyToUse(true);
    if (info.creationTime() != null) {
      snapshot.setCreationTime(timestamp(info.creationTime()));
    }
    return snapshot.build();
  }

  static Timestamp timestamp(Instant instant) {
    return Timestamp.newBuilder().setSeconds(instant.getEpochSecond()).setNanos(instant.getNano()).build();
  }

  static Duration duration(java.time.Duration duration) {
    return Duration.newBuilder().setSeconds(duration.getSeconds()).setNanos(duration.getNano()).build();
  }
}
