package dev.replcert.harness.endpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.replcert.harness.config.DisasterHooks;
import dev.replcert.harness.config.SiteHooks;
import dev.replcert.harness.config.Sites;
import dev.replcert.harness.record.Redactor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommandsTest {

  private final Redactor redactor = new Redactor(List.of("t0p-s3cret"));

  @Test
  void aFailingHookNamesItselfTheExitCodeAndItsOutputWithSecretsMasked() {
    assertThatThrownBy(
            () ->
                Commands.run(
                    "disaster.sites.east.down",
                    List.of("sh", "-c", "echo 'bmc login t0p-s3cret refused' >&2; exit 3"),
                    Map.of(),
                    Duration.ofSeconds(10),
                    redactor))
        .hasMessageContaining("disaster.sites.east.down: sh exited with 3")
        .hasMessageContaining("bmc login <redacted> refused")
        .hasMessageNotContaining("t0p-s3cret");
  }

  @Test
  void aHookThatHangsIsStoppedAtItsTimeout() {
    assertThatThrownBy(
            () ->
                Commands.run(
                    "driver.replicationControl.pause",
                    List.of("sleep", "30"),
                    Map.of(),
                    Duration.ofMillis(200),
                    redactor))
        .hasMessageContaining("did not finish within PT0.2S");
  }

  @Test
  void aCommandThatCannotStartSaysSo() {
    assertThatThrownBy(
            () ->
                Commands.run(
                    "disaster.sites.west.up",
                    List.of("/nonexistent/replcert-hook"),
                    Map.of(),
                    Duration.ofSeconds(5),
                    redactor))
        .hasMessageContaining("disaster.sites.west.up: cannot start /nonexistent/replcert-hook");
  }

  @Test
  void theDisasterInjectorPassesTheSiteAndTracksWhatIsDown(@TempDir Path dir) throws Exception {
    Path marker = dir.resolve("site");
    SiteHooks east =
        new SiteHooks(
            List.of("sh", "-c", "echo \"$REPLCERT_SITE down\" > " + marker),
            List.of("sh", "-c", "echo \"$REPLCERT_SITE up\" > " + marker));
    CommandDisasterInjector injector =
        new CommandDisasterInjector(
            new DisasterHooks(Duration.ofSeconds(10), new Sites<>(east, null)), redactor);

    assertThat(injector.supports("east")).isTrue();
    assertThat(injector.supports("west")).isFalse();
    injector.takeDown("east");
    assertThat(Files.readString(marker)).isEqualTo("east down\n");
    assertThat(injector.isDown("east")).isTrue();
    assertThatCode(() -> injector.bringUp("east")).doesNotThrowAnyException();
    assertThat(Files.readString(marker)).isEqualTo("east up\n");
    assertThat(injector.isDown("east")).isFalse();
  }
}
