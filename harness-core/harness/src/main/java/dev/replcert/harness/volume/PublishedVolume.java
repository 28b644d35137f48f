package dev.replcert.harness.volume;

import java.nio.file.Path;
import java.time.Duration;

/** Opens whatever a driver left at a publish target path as a {@link VolumeIo}. */
public final class PublishedVolume {

  private PublishedVolume() {}

  /**
   * Opens the volume published at {@code targetPath}, so suites never branch on the driver: the
   * reference driver leaves a handle descriptor there ({@link ReferenceDriverVolumeIo}); a real
   * driver leaves a mounted filesystem or a block device ({@link FileVolumeIo}).
   *
   * @param block whether the volume was published with a block access type
   * @param size the provisioned size; the file's size wins where the storage knows it
   * @param rpcTimeout deadline of each reference-driver call (unused for file I/O)
   */
  public static VolumeIo open(Path targetPath, boolean block, long size, Duration rpcTimeout) {
    return HandleDescriptor.find(targetPath, block)
        .<VolumeIo>map(handle -> new ReferenceDriverVolumeIo(handle, size, rpcTimeout))
        .orElseGet(() -> FileVolumeIo.open(targetPath, block, size));
  }
}
