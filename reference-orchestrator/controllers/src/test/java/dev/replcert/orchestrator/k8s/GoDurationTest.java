package dev.replcert.orchestrator.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class GoDurationTest {

  @Test
  void parsesWhatGoPrints() {
    assertThat(GoDuration.parse("1m30s")).isEqualTo(Duration.ofSeconds(90));
    assertThat(GoDuration.parse("1h2m3.5s")).isEqualTo(Duration.ofMillis(3_723_500));
    assertThat(GoDuration.parse("250ms")).isEqualTo(Duration.ofMillis(250));
    assertThat(GoDuration.parse("1.5µs")).isEqualTo(Duration.ofNanos(1500));
    assertThat(GoDuration.parse("0")).isEqualTo(Duration.ZERO);
    assertThat(GoDuration.parse("-2s")).isEqualTo(Duration.ofSeconds(-2));
  }

  @Test
  void rejectsWhatGoWouldNot() {
    assertThatThrownBy(() -> GoDuration.parse("5")).hasMessageContaining("'5'");
    assertThatThrownBy(() -> GoDuration.parse("1m junk")).hasMessageContaining("Go duration");
  }
}
