package dev.replcert.harness.record;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class RedactorTest {

  @Test
  void masksEveryOccurrenceOfEverySecret() {
    Redactor redactor = new Redactor(List.of("AKIA-1234", "wJalrXUtnFEMI"));

    assertThat(redactor.apply("key AKIA-1234 secret wJalrXUtnFEMI again AKIA-1234"))
        .isEqualTo("key <redacted> secret <redacted> again <redacted>");
  }

  @Test
  void masksALongerSecretWholeWhenItContainsAShorterOne() {
    Redactor redactor = new Redactor(List.of("pass", "password-123"));

    assertThat(redactor.apply("x=password-123")).isEqualTo("x=<redacted>");
  }

  @Test
  void ignoresNullsAndValuesTooShortToMaskSafely() {
    Redactor redactor = new Redactor(Arrays.asList(null, "ab", "long-enough"));

    assertThat(redactor.apply("ab long-enough")).isEqualTo("ab <redacted>");
    assertThat(redactor.apply(null)).isNull();
  }
}
