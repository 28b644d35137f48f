package dev.replcert.refdriver.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class GoDurationTest {

  @Test
  void parsesTheDurationsKubernetesParametersCarry() {
    assertThat(GoDuration.parse("1m")).isEqualTo(Duration.ofMinutes(1));
    assertThat(GoDuration.parse("1h30m")).isEqualTo(Duration.ofMinutes(90));
    assertThat(GoDuration.parse("2m0s")).isEqualTo(Duration.ofMinutes(2));
    assertThat(GoDuration.parse("500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(GoDuration.parse("1.5s")).isEqualTo(Duration.ofMillis(1500));
  }

  @Test
  void rejectsWhatIsNotAPositiveDuration() {
    for (String bad : new String[] {"", "1", "m", "1x", "0s", "-1m", "1m junk"}) {
      assertThatThrownBy(() -> GoDuration.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
    }
  }
}
