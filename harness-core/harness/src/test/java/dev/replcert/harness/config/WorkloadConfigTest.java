package dev.replcert.harness.config;

import static dev.replcert.harness.config.ConfigFiles.ENDPOINT;
import static dev.replcert.harness.config.ConfigFiles.problemAt;
import static dev.replcert.harness.config.ConfigFiles.rejected;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** cert.yaml's workload section: the default image and launcher, and a vendor's own. */
class WorkloadConfigTest {

  @TempDir Path dir;

  @Test
  void withoutAWorkloadSectionTheStockJreRunsTheShippedJar() {
    CertificationConfig c = ConfigLoader.load(ConfigFiles.write(dir, ENDPOINT), Map.of(), Map.of());

    assertThat(c.workload().image()).isEqualTo("docker.io/library/eclipse-temurin:17-jre");
    assertThat(c.workload().command())
        .containsExactly(
            "java", "-cp", "/replcert/workload.jar", "dev.replcert.harness.workload.WorkloadMain");
  }

  @Test
  void aVendorSetsItsOwnImageAndLauncher() {
    String yaml =
        ENDPOINT
            + "workload: { image: registry.example.com/w:1, command: [/opt/vendor/run, -q] }\n";

    CertificationConfig c = ConfigLoader.load(ConfigFiles.write(dir, yaml), Map.of(), Map.of());

    assertThat(c.workload().image()).isEqualTo("registry.example.com/w:1");
    assertThat(c.workload().command()).isEqualTo(List.of("/opt/vendor/run", "-q"));
    assertThat(c.workload().recordSize()).isEqualTo(WorkloadConfig.DEFAULT_RECORD_SIZE);
  }

  @Test
  void anEmptyLauncherIsRefused() {
    ConfigException e = rejected(ConfigFiles.write(dir, ENDPOINT + "workload: { command: [] }\n"));

    assertThat(problemAt(e, "workload.command").toString()).contains("empty command");
  }
}
