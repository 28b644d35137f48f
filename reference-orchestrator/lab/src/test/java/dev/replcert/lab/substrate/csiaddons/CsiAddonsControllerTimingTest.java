package dev.replcert.lab.substrate.csiaddons;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** ControllerTiming: csi-addons' GetVolumeReplicationInfo polling rule, and the lab's scaling. */
class CsiAddonsControllerTimingTest {

  @Test
  void realPollingIsHalfTheIntervalFromTwoMinutesTheIntervalBelowAndAnHourWhenUnset() {
    ControllerTiming real = ControllerTiming.real();
    assertThat(real.infoPoll(Duration.ofMinutes(5))).isEqualTo(Duration.ofSeconds(150));
    assertThat(real.infoPoll(Duration.ofMinutes(2))).isEqualTo(Duration.ofMinutes(1));
    assertThat(real.infoPoll(Duration.ofMinutes(1))).isEqualTo(Duration.ofMinutes(1));
    assertThat(real.infoPoll(null)).isEqualTo(Duration.ofHours(1));
    assertThat(real.demoteRequeue()).isEqualTo(Duration.ofSeconds(15));
    assertThat(real.resyncRequeue()).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void labPollingIsHalfTheIntervalCappedAtOneSecond() {
    ControllerTiming lab = ControllerTiming.lab();
    assertThat(lab.infoPoll(Duration.ofMinutes(1))).isEqualTo(Duration.ofSeconds(1));
    assertThat(lab.infoPoll(Duration.ofMillis(500))).isEqualTo(Duration.ofMillis(250));
    assertThat(lab.infoPoll(null)).isEqualTo(Duration.ofSeconds(1));
    assertThat(lab.demoteRequeue()).isEqualTo(Duration.ofMillis(200));
    assertThat(lab.resyncRequeue()).isEqualTo(Duration.ofMillis(300));
  }
}
