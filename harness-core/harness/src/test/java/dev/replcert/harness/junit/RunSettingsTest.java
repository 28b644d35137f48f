package dev.replcert.harness.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class RunSettingsTest {

  @Test
  void runOverridesAreKeyValueEntriesSeparatedBySemicolons() {
    assertThat(RunSettings.overrides("cert.timeouts.overrides.fence=3s; cert.driver.name = x.dev;"))
        .isEqualTo(Map.of("cert.timeouts.overrides.fence", "3s", "cert.driver.name", "x.dev"));
  }

  @Test
  void anEntryThatIsNotACertKeyIsRejectedNamingIt() {
    assertThatThrownBy(() -> RunSettings.overrides("cert.a=1;timeouts.b=2"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("replcert.certOverrides")
        .hasMessageContaining("'timeouts.b'");
    assertThatThrownBy(() -> RunSettings.overrides("cert.a"))
        .hasMessageContaining("'cert.a'");
  }
}
