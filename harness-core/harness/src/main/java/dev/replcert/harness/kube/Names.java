package dev.replcert.harness.kube;

import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Traceable resource names: {@code rc-<what>-<5 random>}, at most 63 characters, lower case, so a
 * leaked volume on a vendor's array says which test made it.
 */
public final class Names {

  private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";

  private Names() {}

  public static String unique(String what) {
    StringBuilder suffix = new StringBuilder();
    for (int i = 0; i < 5; i++) {
      suffix.append(ALPHABET.charAt(ThreadLocalRandom.current().nextInt(ALPHABET.length())));
    }
    String base = "rc-" + what.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]", "-");
    int room = 63 - suffix.length() - 1;
    return (base.length() > room ? base.substring(0, room) : base) + "-" + suffix;
  }
}
