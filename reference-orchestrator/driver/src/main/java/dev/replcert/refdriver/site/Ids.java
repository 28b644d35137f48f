package dev.replcert.refdriver.site;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Ids derived from names, so both sites (and a restarted one) name the same volume, group or
 * snapshot alike without asking each other.
 */
final class Ids {

  private Ids() {}

  static String volume(String name) {
    return "vol-" + hash(name);
  }

  static String group(String name) {
    return "vg-" + hash(name);
  }

  static String snapshot(String name) {
    return "snap-" + hash(name);
  }

  private static String hash(String name) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(name.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
