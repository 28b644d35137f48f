package dev.replcert.layer1.data;

import dev.replcert.harness.volume.VolumeIo;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/** Byte-for-byte comparisons of volumes: sha256 of a range, and where two ranges first differ. */
final class VolumeBytes {

  private static final int CHUNK = 1 << 20;

  private VolumeBytes() {}

  /** The sha256 of the volume's bytes {@code [0, length)}, in hex. */
  static String sha256(VolumeIo volume, long length) {
    MessageDigest digest = sha256();
    for (long at = 0; at < length; at += CHUNK) {
      digest.update(volume.read(at, (int) Math.min(CHUNK, length - at)));
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  /**
   * Compares {@code [0, length)} of both volumes; returns null when equal, else the first
   * differing byte with the record slot it lies in.
   */
  static String firstDifference(VolumeIo a, VolumeIo b, long length, int recordSize) {
    for (long at = 0; at < length; at += CHUNK) {
      int size = (int) Math.min(CHUNK, length - at);
      byte[] left = a.read(at, size);
      byte[] right = b.read(at, size);
      int mismatch = Arrays.mismatch(left, right);
      if (mismatch >= 0) {
        long offset = at + mismatch;
        return "byte " + offset + " (record slot #" + offset / recordSize + ") differs";
      }
    }
    return null;
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }
}
