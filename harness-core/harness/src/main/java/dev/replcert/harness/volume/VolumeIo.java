package dev.replcert.harness.volume;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Byte access to a volume published at a target path: what the workload writes and the verifier
 * reads. Offsets are bytes from the start of the volume; {@code offset + length} must not exceed
 * {@link #size()} ({@link VolumeIoException.Kind#OUT_OF_RANGE} otherwise), so a writer never grows
 * a file silently past what the storage provisioned.
 *
 * <p>Every failure is a {@link VolumeIoException}; implementations are safe for concurrent use.
 */
public interface VolumeIo extends AutoCloseable {

  /** Usable bytes, fixed when the volume was opened. */
  long size();

  void write(long offset, byte[] data);

  /** Reads exactly {@code length} bytes; a region never written reads as zeros. */
  byte[] read(long offset, int length);

  /** Returns once every write acknowledged so far is durable on this site. */
  void flush();

  /** Releases the connection or file; idempotent. Later calls fail with {@code IO}. */
  @Override
  void close();

  /**
   * Opens the volume published at {@code targetPath}, so suites never branch on the driver: the
   * reference driver leaves a handle descriptor there ({@link ReferenceDriverVolumeIo}); a real
   * driver leaves a mounted filesystem or a block device ({@link FileVolumeIo}).
   *
   * @param block whether the volume was published with a block access type
   * @param size the provisioned size; the file's size wins where the storage knows it
   * @param rpcTimeout deadline of each reference-driver call (unused for file I/O)
   */
  static VolumeIo open(Path targetPath, boolean block, long size, Duration rpcTimeout) {
    return HandleDescriptor.find(targetPath, block)
        .<VolumeIo>map(handle -> new ReferenceDriverVolumeIo(handle, size, rpcTimeout))
        .orElseGet(() -> FileVolumeIo.open(targetPath, block, size));
  }
}
