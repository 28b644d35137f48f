package dev.replcert.harness.record;

import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * Replaces every known secret value in a text with {@value #MASK}. Longest secrets first, so a
 * secret that contains another is masked whole.
 */
public final class Redactor implements UnaryOperator<String> {

  public static final String MASK = "<redacted>";
  /** Values this short would mask ordinary words; they are still never printed by the config. */
  private static final int MIN_LENGTH = 4;

  private final List<String> secrets;

  public Redactor(List<String> secrets) {
    this.secrets =
        secrets.stream()
            .filter(Objects::nonNull)
            .filter(s -> s.length() >= MIN_LENGTH)
            .distinct()
            .sorted(Comparator.comparingInt(String::length).reversed())
            .toList();
  }

  public static Redactor none() {
    return new Redactor(List.of());
  }

  @Override
  public String apply(String text) {
    if (text == null) {
      return null;
    }
    String out = text;
    for (String secret : secrets) {
      out = out.replace(secret, MASK);
    }
    return out;
  }
}
