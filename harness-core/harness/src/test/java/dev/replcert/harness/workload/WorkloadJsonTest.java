package dev.replcert.harness.workload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.replcert.harness.volume.VolumeIoException.Kind;
import dev.replcert.harness.workload.Verification.CorruptRecord;
import dev.replcert.harness.workload.Verification.Gap;
import dev.replcert.harness.workload.WriterReport.Failure;
import dev.replcert.harness.workload.WriterReport.StopReason;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The workload's messages (termination message, progress lines) survive the trip as JSON. */
class WorkloadJsonTest {

  private final UUID run = UUID.randomUUID();
  private final Instant at = Instant.parse("2026-12-03T18:00:00.123456Z");

  @Test
  void aWriterReportRoundTrips() {
    WriterReport report =
        new WriterReport(
            run,
            5,
            99,
            98,
            at,
            at.minusSeconds(3),
            new Failure(Kind.READ_ONLY, "write refused: \"secondary\"\nline two"),
            StopReason.WRITE_FAILED);

    String json = WriterReportJson.toJson(report);

    assertThat(json).doesNotContain("\n");
    assertThat(WriterReportJson.fromJson(json)).isEqualTo(report);
    assertThat(WriterProgress.parse("noise " + WriterProgress.line(report))).contains(report);
    assertThat(TerminationMessage.parse(TerminationMessage.writer(report)))
        .isEqualTo(new TerminationMessage.Written(report));
  }

  @Test
  void aVerificationRoundTrips() {
    Verification v =
        new Verification(
            run,
            4096,
            256,
            10,
            20,
            30,
            List.of(new Gap(11, 14), new Gap(20, 20)),
            5,
            List.of(new CorruptRecord(16, 16 * 4096, "checksum mismatch")),
            1,
            2,
            at);

    assertThat(VerificationJson.fromJson(VerificationJson.toJson(v))).isEqualTo(v);
    assertThat(TerminationMessage.parse(TerminationMessage.verification(v)))
        .isEqualTo(new TerminationMessage.Verified(v));
  }

  @Test
  void aLongVerificationIsCutToFitATerminationMessageKeepingCountsAndTheFirstEntries() {
    List<Gap> gaps = new ArrayList<>();
    List<CorruptRecord> corrupt = new ArrayList<>();
    for (int i = 0; i < Verification.MAX_LISTED; i++) {
      gaps.add(new Gap(10L * i + 1_000_000, 10L * i + 1_000_004));
      corrupt.add(new CorruptRecord(10L * i + 1_000_005, 4096L * i, "checksum mismatch"));
    }
    Verification v =
        new Verification(
            run, 4096, 1 << 24, 999_999, 5000, 1_100_000, gaps, 5000, corrupt, 1000, 0, at);

    String json = TerminationMessage.verification(v);
    Verification back =
        ((TerminationMessage.Verified) TerminationMessage.parse(json)).verification();

    assertThat(json.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(4096);
    assertThat(back.gaps()).isNotEmpty().isEqualTo(gaps.subList(0, back.gaps().size()));
    assertThat(back.corrupt()).isNotEmpty();
    assertThat(back.missingCount()).isEqualTo(5000);
    assertThat(back.corruptCount()).isEqualTo(1000);
  }

  @Test
  void theJsonReaderReadsWhatTheWriterWritesAndRejectsGarbage() {
    Object value = Json.read(Json.write(Map.of("a", List.of(1L, "x\u0001\\y", true))));

    assertThat(value).isEqualTo(Map.of("a", List.of(1L, "x\u0001\\y", true)));
    assertThatThrownBy(() -> Json.read("{\"a\":1"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not JSON");
    assertThatThrownBy(() -> TerminationMessage.parse("Error: could not find main class"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(WriterProgress.last("started\nreplcert-progress {\"runId\":")).isEmpty();
  }
}
