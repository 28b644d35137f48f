package dev.replcert.refdriver.testing;

import dev.replcert.api.csi.v1.CapacityRange;
import dev.replcert.api.csi.v1.CreateVolumeRequest;
import dev.replcert.api.csi.v1.VolumeCapability;
import dev.replcert.api.csiaddons.replication.ReplicationSource;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Request builders and status assertions the driver tests share. */
public final class Requests {

  public static final long MIB = 1 << 20;

  private Requests() {}

  public static VolumeCapability mount() {
    return VolumeCapability.newBuilder()
        .setMount(VolumeCapability.MountVolume.newBuilder().setFsType("ext4"))
        .setAccessMode(VolumeCapability.AccessMode.newBuilder().setMode(VolumeCapability.AccessMode.Mode.SINGLE_NODE_WRITER))
        .build();
  }

  public static VolumeCapability block() {
    return VolumeCapability.newBuilder()
        .setBlock(VolumeCapability.BlockVolume.getDefaultInstance())
        .setAccessMode(VolumeCapability.AccessMode.newBuilder().setMode(VolumeCapability.AccessMode.Mode.SINGLE_NODE_WRITER))
        .build();
  }

  public static CreateVolumeRequest createVolume(String name, long bytes) {
    return CreateVolumeRequest.newBuilder()
        .setName(name)
        .setCapacityRange(CapacityRange.newBuilder().setRequiredBytes(bytes))
        .addVolumeCapabilities(mount())
        .build();
  }

  public static ReplicationSource volumeSource(String volumeId) {
    return ReplicationSource.newBuilder()
        .setVolume(ReplicationSource.VolumeSource.newBuilder().setVolumeId(volumeId))
        .build();
  }

  public static ReplicationSource groupSource(String groupId) {
    return ReplicationSource.newBuilder()
        .setVolumegroup(ReplicationSource.VolumeGroupSource.newBuilder().setVolumeGroupId(groupId))
        .build();
  }

  /** Asserts the call fails with {@code code} and returns the status for further checks. */
  public static Status assertCode(Status.Code code, ThrowingCallable call) {
    Status[] status = new Status[1];
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              status[0] = e.getStatus();
              org.assertj.core.api.Assertions.assertThat(e.getStatus().getCode())
                  .as("status of the call (%s)", e.getStatus().getDescription())
                  .isEqualTo(code);
            });
    return status[0];
  }
}
