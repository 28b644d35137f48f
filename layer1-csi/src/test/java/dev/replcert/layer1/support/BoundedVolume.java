package dev.replcert.layer1.support;

import dev.replcert.harness.volume.VolumeIo;
import dev.replcert.harness.volume.VolumeIoException;

/**
 * The first {@code limit} bytes of a published volume: the region a test writes its records to and
 * verifies. A writer on the region stops with "volume full" at its end, so no record of the run
 * can lie beyond it, and the verifier reads megabytes instead of the whole provisioned volume.
 * Closing the view leaves the volume open (its publication owns it).
 */
public final class BoundedVolume implements VolumeIo {

  /** Room for 4096 records of 4 KiB: minutes of a paced writer, seconds of an unpaced one. */
  public static final long DEFAULT_REGION = 16L << 20;

  private final VolumeIo volume;
  private final long size;

  private BoundedVolume(VolumeIo volume, long limit) {
    this.volume = volume;
    this.size = Math.min(limit, volume.size());
  }

  public static VolumeIo of(VolumeIo volume) {
    return of(volume, DEFAULT_REGION);
  }

  public static VolumeIo of(VolumeIo volume, long limit) {
    return new BoundedVolume(volume, limit);
  }

  @Override
  public long size() {
    return size;
  }

  @Override
  public void write(long offset, byte[] data) {
    check(offset, data.length);
    volume.write(offset, data);
  }

  @Override
  public byte[] read(long offset, int length) {
    check(offset, length);
    return volume.read(offset, length);
  }

  @Override
  public void flush() {
    volume.flush();
  }

  @Override
  public void close() {
    // the publication's cleanup closes the volume
  }

  private void check(long offset, long length) {
    if (offset < 0 || length < 0 || offset + length > size) {
      throw new VolumeIoException(
          VolumeIoException.Kind.OUT_OF_RANGE,
          "[" + offset + ", " + (offset + length) + ") is outside the test region of " + size
              + " bytes of " + volume);
    }
  }

  @Override
  public String toString() {
    return "first " + size + " bytes of " + volume;
  }
}
