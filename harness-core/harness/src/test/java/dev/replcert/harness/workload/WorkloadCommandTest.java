package dev.replcert.harness.workload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.replcert.harness.volume.MemoryVolumeIo;
import dev.replcert.harness.volume.VolumeIoException.Kind;
import dev.replcert.harness.workload.TerminationMessage.Failed;
import dev.replcert.harness.workload.TerminationMessage.Verified;
import dev.replcert.harness.workload.TerminationMessage.Written;
import dev.replcert.harness.workload.WorkloadCommand.Outcome;
import dev.replcert.harness.workload.WriterReport.StopReason;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** The workload program's command line, and what it does in-JVM (as the lab's kubelet runs it). */
class WorkloadCommandTest {

  private static final int RECORD = 512;
  private static final List<String> LAUNCHER =
      List.of("java", "-cp", "/replcert/workload.jar", WorkloadCommand.MAIN_CLASS);

  private final MemoryVolumeIo volume = new MemoryVolumeIo(2000 * RECORD);

  @Test
  void theArgumentsParseBackToTheSameCommand() {
    WorkloadCommand writer =
        WorkloadCommand.writer()
            .runId("fo-001-abc")
            .block(true)
            .volume("/dev/replcert-data")
            .size(1 << 30)
            .recordSize(8192)
            .rate(20)
            .firstSequence(42)
            .stopFile("/replcert-control/stop")
            .build();

    WorkloadCommand parsed = WorkloadCommand.fromContainer(LAUNCHER, writer.args());

    assertThat(parsed.args()).isEqualTo(writer.args());
    assertThat(parsed.action()).isEqualTo(WorkloadCommand.Action.WRITER);
    assertThat(parsed.block()).isTrue();
    assertThat(parsed.firstSequence()).isEqualTo(42);
    assertThat(parsed.recordRunId()).isEqualTo(WorkloadCommand.recordRunId("fo-001-abc"));
  }

  @Test
  void aVendorLauncherPutsTheArgumentsInArgs() {
    List<String> args = verifyCommand().args();

    WorkloadCommand parsed =
        WorkloadCommand.fromContainer(List.of("/opt/vendor/run-workload"), args);

    assertThat(parsed.action()).isEqualTo(WorkloadCommand.Action.VERIFY);
    assertThat(parsed.args()).isEqualTo(args);
  }

  @Test
  void badCommandsAreRejectedNamingWhatIsWrong() {
    assertThatThrownBy(() -> WorkloadCommand.fromContainer(LAUNCHER, List.of("scrub")))
        .hasMessageContaining("unknown workload action 'scrub'");
    assertThatThrownBy(
            () ->
                WorkloadCommand.fromContainer(
                    LAUNCHER, List.of("writer", "--run-id", "r", "--speed", "3")))
        .hasMessageContaining("unknown workload flag --speed");
    assertThatThrownBy(
            () ->
                WorkloadCommand.fromContainer(
                    LAUNCHER, List.of("verify", "--run-id", "r", "--volume", "/v", "--size", "9")))
        .hasMessageContaining("--mode is required");
    assertThatThrownBy(() -> WorkloadCommand.fromContainer(LAUNCHER, List.of()))
        .hasMessageContaining("no workload arguments");
  }

  @Test
  void aUuidRunIdIsUsedAsIsAndAnyOtherIdGetsAStableUuid() {
    String uuid = "0b7e4d5c-1111-4222-8333-944455556666";

    assertThat(WorkloadCommand.recordRunId(uuid).toString()).isEqualTo(uuid);
    assertThat(WorkloadCommand.recordRunId("run-7"))
        .isEqualTo(WorkloadCommand.recordRunId("run-7"));
    assertThat(WorkloadCommand.recordRunId("run-7"))
        .isNotEqualTo(WorkloadCommand.recordRunId("run-8"));
  }

  @Test
  void theWriterRunsUntilStoppedAndTheVerifierFindsEveryAcknowledgedRecord() {
    AtomicBoolean stop = new AtomicBoolean();
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    CompletableFuture<Outcome> writing = runWriter(0, log, stop);

    await("writer progress past record 10")
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(50))
        .until(() -> WriterProgress.last(text(log)).map(WriterReport::lastAcked).orElse(-1L) >= 10);
    stop.set(true);
    Outcome written = writing.join();
    WriterReport report =
        ((Written) TerminationMessage.parse(written.terminationMessage())).report();
    Outcome verified = verifyCommand().run(volume, quiet(), StopSignal.never());
    Verification found =
        ((Verified) TerminationMessage.parse(verified.terminationMessage())).verification();

    assertThat(written.exitCode()).isZero();
    assertThat(report.stoppedBecause()).isEqualTo(StopReason.STOPPED);
    assertThat(WriterProgress.last(text(log))).contains(report);
    assertThat(verified.exitCode()).isZero();
    assertThat(found.lastContiguous()).isEqualTo(report.lastAcked());
    assertThat(found.isPrefixOf(report)).as(found.describe(report)).isTrue();
  }

  @Test
  void aContinuedWriterCarriesOnFromTheNextSequence() {
    AtomicBoolean stop = new AtomicBoolean(true);
    WriterReport first = report(runWriter(0, new ByteArrayOutputStream(), stop).join());
    WriterReport second =
        report(runWriter(first.lastAcked() + 1, new ByteArrayOutputStream(), stop).join());

    Verification found =
        ((Verified)
                TerminationMessage.parse(
                    verifyCommand().run(volume, quiet(), StopSignal.never()).terminationMessage()))
            .verification();

    assertThat(second.firstSequence()).isEqualTo(first.lastAcked() + 1);
    assertThat(found.gaps()).isEmpty();
    assertThat(found.lastContiguous()).isEqualTo(second.lastAcked());
  }

  @Test
  void aResumingWriterStartsAfterWhatTheVolumeHoldsOfItsRun() {
    RecordWriter.builder(volume, WorkloadCommand.recordRunId("run-1"))
        .format(new RecordFormat(RECORD))
        .recordsPerSecond(0)
        .build()
        .writeRecords(10);
    WorkloadCommand resuming =
        WorkloadCommand.writer()
            .runId("run-1")
            .block(true)
            .volume("/dev/replcert-data")
            .size(volume.size())
            .recordSize(RECORD)
            .resume(true)
            .build();
    assertThat(WorkloadCommand.fromContainer(List.of(), resuming.args()).resume()).isTrue();

    WriterReport resumed = report(resuming.run(volume, quiet(), () -> true));
    WriterReport fresh = report(runWriter(0, new ByteArrayOutputStream(), new AtomicBoolean(true)).join());

    assertThat(resumed.firstSequence()).as("resumed after records #0..#9").isEqualTo(10);
    assertThat(fresh.firstSequence()).as("without --resume").isZero();
  }

  @Test
  void aVolumeThatRefusesWritesEndsTheWriterWithItsReport() {
    volume.refuseWrites(Kind.READ_ONLY);

    Outcome outcome = runWriter(0, new ByteArrayOutputStream(), new AtomicBoolean()).join();

    WriterReport report = report(outcome);
    assertThat(outcome.exitCode()).isZero();
    assertThat(report.stoppedBecause()).isEqualTo(StopReason.WRITE_FAILED);
    assertThat(report.failure().kind()).isEqualTo(Kind.READ_ONLY);
  }

  @Test
  void aFailureIsAnErrorOutcomeNamingThePhase() {
    volume.close();

    Outcome outcome = verifyCommand().run(volume, quiet(), StopSignal.never());

    assertThat(outcome.exitCode()).isEqualTo(1);
    assertThat(TerminationMessage.parse(outcome.terminationMessage()))
        .isInstanceOfSatisfying(
            Failed.class,
            f -> {
              assertThat(f.phase()).isEqualTo("verify");
              assertThat(f.message()).contains("closed");
            });
  }

  private CompletableFuture<Outcome> runWriter(
      long first, ByteArrayOutputStream log, AtomicBoolean stop) {
    WorkloadCommand writer =
        WorkloadCommand.writer()
            .runId("run-1")
            .block(true)
            .volume("/dev/replcert-data")
            .size(volume.size())
            .recordSize(RECORD)
            .rate(200)
            .firstSequence(first)
            .build();
    PrintStream out = new PrintStream(log, true, StandardCharsets.UTF_8);
    return CompletableFuture.supplyAsync(() -> writer.run(volume, out, stop::get));
  }

  private WorkloadCommand verifyCommand() {
    return WorkloadCommand.verify()
        .runId("run-1")
        .block(true)
        .volume("/dev/replcert-data")
        .size(volume.size())
        .recordSize(RECORD)
        .build();
  }

  private static WriterReport report(Outcome outcome) {
    return ((Written) TerminationMessage.parse(outcome.terminationMessage())).report();
  }

  private static PrintStream quiet() {
    return new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
  }

  private static String text(ByteArrayOutputStream log) {
    synchronized (log) {
      return log.toString(StandardCharsets.UTF_8);
    }
  }
}
