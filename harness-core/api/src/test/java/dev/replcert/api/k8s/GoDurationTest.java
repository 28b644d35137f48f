package dev.replcert.api.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class GoDurationTest {

  @ParameterizedTest(name = "{0} = {1} ns")
  @CsvSource({
    "500ms, 500000000",
    "30s, 30000000000",
    "5m, 300000000000",
    "1h30m, 5400000000000",
    "2h, 7200000000000",
    "1.5h, 5400000000000",
    ".5s, 500000000",
    "1m30s, 90000000000",
    "+5s, 5000000000",
    "0s, 0",
    "300us, 300000",
    "300\u00b5s, 300000",
    "10ns, 10",
    "1h1m1s1ms1us1ns, 3661001001001"
  })
  void parsesWhatGoParses(String text, long nanos) {
    assertThat(GoDuration.parse(text)).isEqualTo(Duration.ofNanos(nanos));
  }

  @ParameterizedTest(name = "[{0}]")
  @ValueSource(
      strings = {
        "",
        " ",
        "-5s",
        "-1h30m",
        "5",
        "0",
        "5d",
        "1w",
        "s",
        "1..2s",
        "1h 30m",
        "+",
        "1.s.",
        "5M",
        "abc",
        "sup3r-s3cret"
      })
  void rejectsWithoutEchoingTheInput(String text) {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> GoDuration.parse(text))
        .withMessageContaining("duration like 90s, 5m or 1h30m")
        .satisfies(
            e -> {
              if (text.strip().length() > 1) { // one character is in every message
                assertThat(e.getMessage()).doesNotContain(text.strip());
              }
            });
  }

  @ParameterizedTest(name = "{0} round-trips")
  @ValueSource(strings = {"1h30m", "2m", "1s500ms", "100ms", "0s", "3h2m1s", "250us", "7ns", "48h"})
  void formatsBackToTheSameText(String text) {
    assertThat(GoDuration.format(GoDuration.parse(text))).isEqualTo(text);
  }

  @ParameterizedTest
  @CsvSource({"90s, 1m30s", "60m, 1h", "1.5s, 1s500ms"})
  void formatsCanonically(String in, String out) {
    assertThat(GoDuration.format(GoDuration.parse(in))).isEqualTo(out);
  }

  @ParameterizedTest
  @ValueSource(strings = {"0s", "0ms", "0h0m"})
  void aPositiveDurationIsNotZero(String zero) {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> GoDuration.parsePositive(zero))
        .withMessageContaining("positive");
  }

  @ParameterizedTest
  @CsvSource({"1m, PT1M", "500ms, PT0.5S", "2m0s, PT2M"})
  void aPositiveDurationParsesAsParseDoes(String text, Duration expected) {
    assertThat(GoDuration.parsePositive(text)).isEqualTo(expected);
  }
}
