package dev.replcert.layer1.support;

import dev.replcert.api.csi.v1.VolumeCapability;
import dev.replcert.harness.config.CertificationConfig;
import dev.replcert.harness.config.VolumeMode;

/**
 * The volume capability a test creates, stages and publishes a volume with: the configured
 * volume mode, or block / mount explicitly for the tests of one mode. Always single-node writer;
 * read-only is a property of the publication, not of the volume.
 */
public final class AccessTypes {

  private AccessTypes() {}

  /** The mode and fs_type of {@code driver.volume} in cert.yaml. */
  public static VolumeCapability configured(CertificationConfig config) {
    return config.driver().volume().mode() == VolumeMode.BLOCK
        ? block()
        : mount(config.driver().volume().fsType());
  }

  /** A raw block device. */
  public static VolumeCapability block() {
    return writer().setBlock(VolumeCapability.BlockVolume.getDefaultInstance()).build();
  }

  /** A mounted file system of {@code fsType} (empty: the driver's default). */
  public static VolumeCapability mount(String fsType) {
    return writer()
        .setMount(
            VolumeCapability.MountVolume.newBuilder().setFsType(fsType == null ? "" : fsType))
        .build();
  }

  public static String describe(VolumeCapability capability) {
    return capability.hasBlock()
        ? "block"
        : "mount (fs_type '" + capability.getMount().getFsType() + "')";
  }

  private static VolumeCapability.Builder writer() {
    return VolumeCapability.newBuilder()
        .setAccessMode(
            VolumeCapability.AccessMode.newBuilder()
                .setMode(VolumeCapability.AccessMode.Mode.SINGLE_NODE_WRITER));
  }
}
