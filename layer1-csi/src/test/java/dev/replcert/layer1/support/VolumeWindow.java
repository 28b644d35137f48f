package dev.replcert.layer1.support;

import dev.replcert.harness.volume.VolumeIo;
import dev.replcert.harness.volume.VolumeIoException;

/**
 * The first {@code bytes} of a published volume, as a volume of its own. A writer given the
 * window can never write past it (its capacity is the window's), so a verifier reading the same
 * window still reads every byte the workload could have touched, without reading a whole volume
 * of zeros through the driver. Closing the window leaves the volume open: its publication owns it.
 */
public final class VolumeWindow implements VolumeIo {

  /** Room for 4096 records of 4 KiB: minutes of a paced writer, seconds of an unpaced one. */
  public static final long DEFAULT_REGION = 16L << 20;

  private final VolumeIo volume;
  private final long size;

  private VolumeWindow(VolumeIo volume, long size) {
    this.volume = volume;
    this.size = size;
  }

  /** The first {@link #DEFAULT_REGION} bytes of {@code volume}. */
  public static VolumeWindow of(VolumeIo volume) {
    return of(volume, DEFAULT_REGION);
  }

  /** The first {@code bytes} of {@code volume}, or all of it when it is smaller. */
  public static VolumeWindow of(VolumeIo volume, long bytes) {
    return new VolumeWindow(volume, Math.min(bytes, volume.size()));
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
    // the publication closes the volume
  }

  private void check(long offset, long length) {
    if (offset < 0 || length < 0 || offset + length > size) {
      throw new VolumeIoException(
          VolumeIoException.Kind.OUT_OF_RANGE,
          "[" + offset + ", " + (offset + length) + ") is outside the window of " + size
              + " bytes of " + volume);
    }
  }

  @Override
  public String toString() {
    return "first " + size + " bytes of " + volume;
  }
}
