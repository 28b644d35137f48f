package dev.replcert.harness.volume;

/**
 * Byte access to a volume published at a target path: what the workload writes and the verifier
 * reads. Offsets are bytes from the start of the volume; {@code offset + length} must not exceed
 * {@link #size()} ({@link VolumeIoException.Kind#OUT_OF_RANGE} otherwise), so a writer never grows
 * a file silently past what the storage provisioned.
 *
 * <p>Every failure is a {@link VolumeIoException}; implementations are safe for concurrent use.
 *
 * <p>This interface depends on the JDK alone: the workload program ships it to pods in a jar
 * that has nothing else ({@code WorkloadJar}). Opening a published volume, which may need the
 * reference driver's gRPC client, is {@link PublishedVolume#open}.
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
}
