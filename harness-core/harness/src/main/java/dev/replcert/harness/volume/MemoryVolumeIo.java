package dev.replcert.harness.volume;

import dev.replcert.harness.volume.VolumeIoException.Kind;
import java.util.Arrays;

/**
 * A volume in memory, for unit tests of anything that reads or writes volumes. It can be told to
 * refuse writes from now on, as a demoted or fenced volume would.
 */
public final class MemoryVolumeIo implements VolumeIo {

  private final byte[] bytes;
  private Kind refusal;
  private boolean closed;
  private long writes;
  private long flushes;

  public MemoryVolumeIo(int size) {
    this.bytes = new byte[size];
  }

  /** From now on every write fails with {@code kind} (READ_ONLY: demoted; FENCED: fenced). */
  public synchronized void refuseWrites(Kind kind) {
    this.refusal = kind;
  }

  public synchronized void acceptWrites() {
    this.refusal = null;
  }

  /** Successful writes so far. */
  public synchronized long writes() {
    return writes;
  }

  /** Successful flushes so far. */
  public synchronized long flushes() {
    return flushes;
  }

  @Override
  public long size() {
    return bytes.length;
  }

  @Override
  public synchronized void write(long offset, byte[] data) {
    open();
    Ranges.check(name(), bytes.length, offset, data.length);
    if (refusal != null) {
      throw new VolumeIoException(refusal, name() + " refuses writes (" + refusal + ")");
    }
    System.arraycopy(data, 0, bytes, (int) offset, data.length);
    writes++;
  }

  @Override
  public synchronized byte[] read(long offset, int length) {
    open();
    Ranges.check(name(), bytes.length, offset, length);
    return Arrays.copyOfRange(bytes, (int) offset, (int) offset + length);
  }

  @Override
  public synchronized void flush() {
    open();
    flushes++;
  }

  @Override
  public synchronized void close() {
    closed = true;
  }

  private void open() {
    if (closed) {
      throw new VolumeIoException(Kind.IO, name() + " is closed");
    }
  }

  private String name() {
    return "memory volume of " + bytes.length + " bytes";
  }
}
