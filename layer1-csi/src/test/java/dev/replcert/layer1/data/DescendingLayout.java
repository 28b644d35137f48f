package dev.replcert.layer1.data;

import dev.replcert.harness.volume.VolumeIo;
import dev.replcert.harness.volume.VolumeIoException;
import dev.replcert.harness.workload.RecordFormat;

/**
 * A record log stored backwards: record slot {@code s} of a window of {@code n} slots lives in
 * physical slot {@code n - 1 - s}, so each new record lands below the previous one.
 *
 * <p>Why: a log that grows upwards hides a sync that is applied piecemeal in ascending block order
 * (every intermediate state is just an older prefix). A log that grows downwards turns the same
 * half-applied sync into newer records without the older ones before them, which the verifier
 * reports as a gap. A database's data pages and journal are not written in address order either.
 *
 * <p>Reads and writes must cover whole records; a range of records is one read or write of the
 * underlying volume (so a read is as atomic as the storage makes one read).
 */
final class DescendingLayout implements VolumeIo {

  private final VolumeIo volume;
  private final int recordSize;
  private final long slots;

  private DescendingLayout(VolumeIo volume, int recordSize, long slots) {
    this.volume = volume;
    this.recordSize = recordSize;
    this.slots = slots;
  }

  /** The backwards log over the whole of {@code volume} (a window of a published volume). */
  static DescendingLayout over(VolumeIo volume, RecordFormat format) {
    return new DescendingLayout(volume, format.recordSize(), format.capacity(volume.size()));
  }

  @Override
  public long size() {
    return slots * recordSize;
  }

  @Override
  public void write(long offset, byte[] data) {
    long first = slotOf(offset, data.length);
    volume.write(physicalOffset(first, data.length), reversed(data));
  }

  @Override
  public byte[] read(long offset, int length) {
    long first = slotOf(offset, length);
    return reversed(volume.read(physicalOffset(first, length), length));
  }

  @Override
  public void flush() {
    volume.flush();
  }

  @Override
  public void close() {
    // the publication closes the volume
  }

  /** Where records {@code first..} covering {@code length} bytes start on the volume. */
  private long physicalOffset(long first, int length) {
    long count = length / recordSize;
    return (slots - first - count) * recordSize;
  }

  private long slotOf(long offset, int length) {
    if (offset % recordSize != 0 || length % recordSize != 0) {
      throw new VolumeIoException(
          VolumeIoException.Kind.IO,
          "the descending layout reads and writes whole records of " + recordSize + " bytes, not ["
              + offset + ", " + (offset + length) + ")");
    }
    if (offset < 0 || offset + length > size()) {
      throw new VolumeIoException(
          VolumeIoException.Kind.OUT_OF_RANGE,
          "[" + offset + ", " + (offset + length) + ") is outside the " + size() + " bytes of "
              + this);
    }
    return offset / recordSize;
  }

  /** The records of {@code data} in the opposite order (each record's bytes unchanged). */
  private byte[] reversed(byte[] data) {
    int count = data.length / recordSize;
    byte[] out = new byte[data.length];
    for (int i = 0; i < count; i++) {
      System.arraycopy(data, i * recordSize, out, (count - 1 - i) * recordSize, recordSize);
    }
    return out;
  }

  @Override
  public String toString() {
    return "records stored backwards in " + volume;
  }
}
