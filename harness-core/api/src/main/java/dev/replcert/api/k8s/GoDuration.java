package dev.replcert.api.k8s;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.Map;

/**
 * Durations written the way Kubernetes and Ramen write them ({@code 500ms}, {@code 30s}, {@code
 * 5m}, {@code 1h30m}), so a vendor can copy values from a DRPolicy or a VolumeReplicationClass.
 * One parser for cert.yaml, the driver's flags and class parameters, and the orchestrator's reading
 * of VolumeReplication status durations, so all of them accept the same text.
 *
 * <p>Follows Go's {@code time.ParseDuration} except that a bare number (even {@code 0}) and a
 * negative value are rejected: in a config file both are mistakes, not intentions. Error messages
 * never repeat the input, because the caller may be parsing something it should not print.
 */
public final class GoDuration {

  /** What a valid value looks like; used in every error message about a duration. */
  public static final String FORMS = "like 90s, 5m or 1h30m (units ns, us, ms, s, m, h)";

  public static final String EXPECTED = "a duration " + FORMS;

  private static final long NANOS_PER_SECOND = 1_000_000_000L;
  private static final Map<String, Long> UNIT_NANOS =
      Map.of(
          "ns", 1L,
          "us", 1_000L,
          "\u00b5s", 1_000L, // micro sign, as Go accepts
          "\u03bcs", 1_000L, // greek mu
          "ms", 1_000_000L,
          "s", NANOS_PER_SECOND,
          "m", 60 * NANOS_PER_SECOND,
          "h", 3600 * NANOS_PER_SECOND);
  private static final BigDecimal MAX_NANOS = BigDecimal.valueOf(Long.MAX_VALUE);

  private GoDuration() {}

  /**
   * Parses a Go-style duration.
   *
   * @throws IllegalArgumentException if the text is empty, negative, has a number without a unit or
   *     an unknown unit; the message says what was expected, not what was given
   */
  public static Duration parse(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("empty; expected " + EXPECTED);
    }
    String s = text.strip();
    int i = 0;
    if (s.charAt(0) == '-') {
      throw new IllegalArgumentException("negative; expected a non-negative duration " + FORMS);
    }
    if (s.charAt(0) == '+') {
      i++;
    }
    if (i == s.length()) {
      throw new IllegalArgumentException("expected " + EXPECTED);
    }
    BigDecimal nanos = BigDecimal.ZERO;
    while (i < s.length()) {
      int numberStart = i;
      while (i < s.length() && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '.')) {
        i++;
      }
      int unitStart = i;
      while (i < s.length() && !Character.isDigit(s.charAt(i)) && s.charAt(i) != '.') {
        i++;
      }
      String unit = s.substring(unitStart, i);
      if (unit.isEmpty()) {
        throw new IllegalArgumentException("a number without a unit; expected " + EXPECTED);
      }
      Long unitNanos = UNIT_NANOS.get(unit);
      if (unitNanos == null) {
        throw new IllegalArgumentException("unknown unit; expected " + EXPECTED);
      }
      nanos =
          nanos.add(
              number(s.substring(numberStart, unitStart)).multiply(BigDecimal.valueOf(unitNanos)));
    }
    if (nanos.compareTo(MAX_NANOS) > 0) {
      throw new IllegalArgumentException("too large; expected " + EXPECTED);
    }
    return Duration.ofNanos(nanos.setScale(0, RoundingMode.DOWN).longValueExact());
  }

  /**
   * {@link #parse}, refusing zero too: a period or an interval of nothing (the driver's sync period,
   * a VolumeReplicationClass {@code schedulingInterval}).
   */
  public static Duration parsePositive(String text) {
    Duration d = parse(text);
    if (d.isZero()) {
      throw new IllegalArgumentException("zero; expected a positive duration " + FORMS);
    }
    return d;
  }

  private static BigDecimal number(String digits) {
    // Go accepts "1.5h" and ".5s", but not "." alone or "1.2.3".
    if (digits.isEmpty() || digits.chars().noneMatch(Character::isDigit)) {
      throw new IllegalArgumentException("a unit without a number; expected " + EXPECTED);
    }
    try {
      return new BigDecimal(digits);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("malformed number; expected " + EXPECTED);
    }
  }

  /**
   * Formats a non-negative duration so that {@link #parse} reads it back: {@code 1h30m}, {@code
   * 2m}, {@code 1s500ms}, {@code 0s}. Used to print the effective config in the same syntax the
   * vendor wrote.
   */
  public static String format(Duration duration) {
    if (duration.isNegative()) {
      throw new IllegalArgumentException("negative durations have no cert.yaml form");
    }
    if (duration.isZero()) {
      return "0s";
    }
    StringBuilder out = new StringBuilder();
    append(out, duration.toHours(), "h");
    append(out, duration.toMinutesPart(), "m");
    append(out, duration.toSecondsPart(), "s");
    long subSecond = duration.toNanosPart();
    if (subSecond % 1_000_000 == 0) {
      append(out, subSecond / 1_000_000, "ms");
    } else if (subSecond % 1_000 == 0) {
      append(out, subSecond / 1_000, "us");
    } else {
      append(out, subSecond, "ns");
    }
    return out.toString();
  }

  private static void append(StringBuilder out, long amount, String unit) {
    if (amount != 0) {
      out.append(amount).append(unit);
    }
  }
}
