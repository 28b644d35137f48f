package dev.replcert.harness.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunRecordJsonTest {

  @TempDir Path dir;

  @Test
  void roundTripsARecordWithEvidence() {
    Instant start = Instant.parse("2026-11-22T01:00:00Z");
    TestResult result =
        new TestResult(
            "L2-FO-001",
            "x.FailoverSuite#failsOver",
            "failsOver()",
            Outcome.PASSED,
            null,
            start,
            Duration.ofMillis(1500),
            List.of(new Measurement("rto", 4.2, "s")),
            List.of(new Attachment("timeline", "text/plain", "t0 Failover set")));
    RunRecord record =
        new RunRecord(
            RunRecord.SCHEMA,
            "run-1",
            "replcert-layer2-platform",
            "0.1.0",
            "lab",
            DriverIdentity.configured("reference.replcert.dev"),
            Map.of("replication", true),
            null,
            start,
            start.plusSeconds(60),
            List.of(result));

    Path file = dir.resolve("nested/run-record.json");
    RunRecordJson.write(record, file);

    assertThat(RunRecordJson.read(file)).isEqualTo(record);
    assertThat(file.resolveSibling("run-record.json.tmp")).doesNotExist();
  }

  @Test
  void rejectsAnotherSchema() throws IOException {
    Path file = dir.resolve("run-record.json");
    Files.writeString(file, "{\"schema\":\"other/v9\",\"tests\":[]}");

    assertThatThrownBy(() -> RunRecordJson.read(file))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("expected " + RunRecord.SCHEMA);
  }

  @Test
  void namesTheFileWhenItIsNotARunRecord() throws IOException {
    Path file = dir.resolve("run-record.json");
    Files.writeString(file, "{\"schema\": ");

    assertThatThrownBy(() -> RunRecordJson.read(file))
        .isInstanceOf(UncheckedIOException.class)
        .hasMessageContaining(file.toString());
  }
}
