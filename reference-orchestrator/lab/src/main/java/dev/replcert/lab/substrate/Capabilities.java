package dev.replcert.lab.substrate;

import dev.replcert.api.csi.v1.VolumeCapability;
import dev.replcert.api.csi.v1.VolumeCapability.AccessMode.Mode;
import java.util.List;

/** Kubernetes volume modes and access modes as CSI volume capabilities (what the sidecars send). */
public final class Capabilities {

  private Capabilities() {}

  public static boolean isBlock(String volumeMode) {
    return "Block".equals(volumeMode);
  }

  public static VolumeCapability of(String volumeMode, String accessMode, String fsType) {
    VolumeCapability.Builder b =
        VolumeCapability.newBuilder()
            .setAccessMode(VolumeCapability.AccessMode.newBuilder().setMode(mode(accessMode)));
    if (isBlock(volumeMode)) {
      b.setBlock(VolumeCapability.BlockVolume.getDefaultInstance());
    } else {
      VolumeCapability.MountVolume.Builder mount = VolumeCapability.MountVolume.newBuilder();
      if (fsType != null) {
        mount.setFsType(fsType);
      }
      b.setMount(mount);
    }
    return b.build();
  }

  /** The first access mode decides, as external-provisioner and the CSI plugin of kubelet do. */
  public static VolumeCapability of(String volumeMode, List<String> accessModes, String fsType) {
    return of(
        volumeMode,
        accessModes == null || accessModes.isEmpty() ? "ReadWriteOnce" : accessModes.get(0),
        fsType);
  }

  private static Mode mode(String accessMode) {
    return switch (accessMode) {
      case "ReadOnlyMany" -> Mode.MULTI_NODE_READER_ONLY;
      case "ReadWriteMany" -> Mode.MULTI_NODE_MULTI_WRITER;
      case "ReadWriteOncePod" -> Mode.SINGLE_NODE_SINGLE_WRITER;
      default -> Mode.SINGLE_NODE_WRITER;
    };
  }
}
