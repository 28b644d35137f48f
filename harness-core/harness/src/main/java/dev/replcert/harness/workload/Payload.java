package dev.replcert.harness.workload;

import java.nio.ByteBuffer;
import java.util.UUID;

/**
 * The deterministic payload of a record: a SplitMix64 stream seeded from (run id, sequence).
 * Cheap to regenerate, different in every record and every run, so a record copied to the wrong
 * slot or from another run cannot pass as the right one.
 */
final class Payload {

  private static final long GOLDEN = 0x9E3779B97F4A7C15L;

  private Payload() {}

  /** Appends {@code length} payload bytes at the buffer's position. */
  static void fill(ByteBuffer target, UUID runId, long sequence, int length) {
    long state = seed(runId, sequence);
    int longs = length / Long.BYTES;
    for (int i = 0; i < longs; i++) {
      state += GOLDEN;
      target.putLong(mix(state));
    }
    state += GOLDEN;
    long last = mix(state);
    for (int i = 0; i < length % Long.BYTES; i++) {
      target.put((byte) (last >>> (56 - 8 * i)));
    }
  }

  /** Whether {@code record[at..at + length)} is the payload of (run id, sequence). */
  static boolean matches(ByteBuffer record, int at, UUID runId, long sequence, int length) {
    ByteBuffer expected = ByteBuffer.allocate(length);
    fill(expected, runId, sequence, length);
    return record.slice(at, length).equals(expected.flip());
  }

  private static long seed(UUID runId, long sequence) {
    return mix(runId.getMostSignificantBits() ^ mix(runId.getLeastSignificantBits() + sequence));
  }

  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
