package dev.replcert.refdriver.storage;

import java.nio.ByteBuffer;
import java.util.Arrays;

/** Block arithmetic: volumes are addressed in fixed blocks; the last one may be short. */
public final class Blocks {

  /** 64 KiB: small enough that a 1 % change ships about 1 % of the bytes, large enough to be fast. */
  public static final int SIZE = 64 * 1024;

  /** A block of zeros (never modify). */
  static final byte[] ZEROS = new byte[SIZE];

  private static final ByteBuffer DIRECT_ZEROS = ByteBuffer.allocateDirect(SIZE).asReadOnlyBuffer();

  private Blocks() {}

  public static int count(long capacity) {
    long count = (capacity + SIZE - 1) / SIZE;
    if (count > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("volume too large: " + capacity + " bytes");
    }
    return (int) count;
  }

  public static long offset(int index) {
    return (long) index * SIZE;
  }

  /** Length of block {@code index} of a volume of {@code capacity} bytes. */
  public static int length(long capacity, int index) {
    return (int) Math.min(SIZE, capacity - offset(index));
  }

  public static int first(long offset) {
    return (int) (offset / SIZE);
  }

  /** Index of the block holding the last byte of [offset, offset + length), length > 0. */
  public static int last(long offset, long length) {
    return (int) ((offset + length - 1) / SIZE);
  }

  /** Whether the {@code length} bytes of {@code data} from {@code from} are all zero. */
  public static boolean isZero(ByteBuffer data, int from, int length) {
    return data.slice(from, length).mismatch(DIRECT_ZEROS.slice(0, length)) < 0;
  }

  public static boolean isZero(byte[] data, int from, int length) {
    return Arrays.mismatch(data, from, from + length, ZEROS, 0, length) < 0;
  }
}
