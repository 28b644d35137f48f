package dev.replcert.refdriver.replication;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses Go duration strings as Kubernetes parameters carry them ({@code 1m}, {@code 90s},
 * {@code 1h30m}, {@code 500ms}, {@code 2m0s}).
 */
public final class GoDuration {

  private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ns|us|µs|ms|s|m|h)");

  private GoDuration() {}

  /** @throws IllegalArgumentException when {@code text} is not a positive Go duration */
  public static Duration parse(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("empty duration");
    }
    Matcher m = PART.matcher(text.trim());
    int at = 0;
    double nanos = 0;
    while (m.find() && m.start() == at) {
      nanos += Double.parseDouble(m.group(1)) * unitNanos(m.group(2));
      at = m.end();
    }
    if (at != text.trim().length() || nanos <= 0) {
      throw new IllegalArgumentException("not a positive Go duration: " + text);
    }
    return Duration.ofNanos((long) nanos);
  }

  private static double unitNanos(String unit) {
    return switch (unit) {
      case "ns" -> 1;
      case "us", "µs" -> 1e3;
      case "ms" -> 1e6;
      case "s" -> 1e9;
      case "m" -> 60e9;
      default -> 3600e9;
    };
  }
}
