package dev.replcert.harness.config;

import static dev.replcert.harness.config.ConfigFiles.ENDPOINT;
import static dev.replcert.harness.config.ConfigFiles.problemAt;
import static dev.replcert.harness.config.ConfigFiles.rejected;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class TimeoutProfileTest {

  @TempDir Path dir;

  @ParameterizedTest
  @EnumSource(TimeoutOperation.class)
  void everyPresetHasAPositiveLimitForEveryOperation(TimeoutOperation op) {
    for (String name : TimeoutProfile.presetNames()) {
      assertThat(TimeoutProfile.named(name).of(op)).as("%s %s", name, op).isPositive();
    }
  }

  @ParameterizedTest
  @EnumSource(TimeoutOperation.class)
  void slowIsThreeTimesDefaultExceptPolling(TimeoutOperation op) {
    Duration normal = TimeoutProfile.named("default").of(op);
    Duration slow = TimeoutProfile.named("slow").of(op);

    assertThat(slow).isEqualTo(op == TimeoutOperation.POLL ? normal : normal.multipliedBy(3));
  }

  @Test
  void defaultFollowsTheKubernetesStorageE2eFramework() {
    TimeoutProfile p = TimeoutProfile.named("default");

    assertThat(p.of(TimeoutOperation.POLL)).isEqualTo(Duration.ofSeconds(2));
    assertThat(p.of(TimeoutOperation.VOLUME_PROVISION)).isEqualTo(Duration.ofMinutes(5));
    assertThat(p.of(TimeoutOperation.PROMOTE)).isEqualTo(Duration.ofMinutes(2));
    assertThat(p.of(TimeoutOperation.FAILOVER)).isEqualTo(Duration.ofMinutes(15));
  }

  @Test
  void labIsShort() {
    TimeoutProfile lab = TimeoutProfile.named("lab");

    assertThat(lab.of(TimeoutOperation.POLL)).isEqualTo(Duration.ofMillis(100));
    assertThat(lab.of(TimeoutOperation.RPC)).isEqualTo(Duration.ofSeconds(10));
    assertThat(lab.asMap().values())
        .allSatisfy(d -> assertThat(d).isLessThanOrEqualTo(Duration.ofMinutes(1)));
  }

  @Test
  void overridesWinAndKeepTheProfileName() {
    Path file =
        ConfigFiles.write(
            dir,
            ENDPOINT + "timeouts:\n  profile: slow\n  overrides: { promote: 10s, vmBoot: 1h }\n");

    TimeoutProfile p = ConfigLoader.load(file, Map.of(), Map.of()).timeoutProfile();

    assertThat(p.name()).isEqualTo("slow");
    assertThat(p.of(TimeoutOperation.PROMOTE)).isEqualTo(Duration.ofSeconds(10));
    assertThat(p.of(TimeoutOperation.VM_BOOT)).isEqualTo(Duration.ofHours(1));
    assertThat(p.of(TimeoutOperation.DEMOTE)).isEqualTo(Duration.ofMinutes(6));
  }

  @Test
  void theProfileDefaultsToDefaultOutsideTheLab() {
    Path file = ConfigFiles.write(dir, ENDPOINT);

    assertThat(ConfigLoader.load(file, Map.of(), Map.of()).timeoutProfile().name())
        .isEqualTo("default");
  }

  @Test
  void anUnknownOverrideKeyIsRejectedListingTheKnownOnes() {
    Path file = ConfigFiles.write(dir, ENDPOINT + "timeouts:\n  overrides:\n    failOver: 5m\n");

    ConfigProblem p = problemAt(rejected(file), "timeouts.overrides.failOver");

    assertThat(p.expected())
        .isEqualTo("unknown timeout 'failOver'; known timeouts: " + TimeoutOperation.knownIds());
    assertThat(p.source()).isEqualTo(file + ":11:5");
  }

  @Test
  void aZeroOverrideIsRejected() {
    Path file = ConfigFiles.write(dir, ENDPOINT + "timeouts: { overrides: { rpc: 0s } }\n");

    assertThat(problemAt(rejected(file), "timeouts.overrides.rpc").expected())
        .startsWith("expected a positive duration");
  }

  @Test
  void anUnknownPresetNamesTheKnownOnes() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> TimeoutProfile.named("fast"))
        .withMessageContaining("default, slow, lab");
  }
}
