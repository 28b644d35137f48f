package dev.replcert.refdriver.testing;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Random;

/** Deterministic test data: numbered records, each filled from a seed so no two are alike. */
public final class Records {

  private Records() {}

  /** {@code count} records of {@code size} bytes; record i starts with "record-i". */
  public static byte[] of(int count, int size, long seed) {
    ByteBuffer bytes = ByteBuffer.allocate(count * size);
    Random random = new Random(seed);
    for (int i = 0; i < count; i++) {
      byte[] record = new byte[size];
      random.nextBytes(record);
      byte[] label = ("record-" + i + "-").getBytes(StandardCharsets.US_ASCII);
      System.arraycopy(label, 0, record, 0, label.length);
      bytes.put(record);
    }
    return bytes.array();
  }
}
