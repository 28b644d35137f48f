package dev.replcert.harness.workload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.replcert.harness.volume.MemoryVolumeIo;
import dev.replcert.harness.volume.VolumeIoException;
import dev.replcert.harness.volume.VolumeIoException.Kind;
import dev.replcert.harness.workload.WriterReport.StopReason;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The writer: exact counts, pacing, and how it ends. */
class RecordWriterTest {

  private static final int RECORD = 4096;
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final Duration POLL = Duration.ofMillis(10);

  private final UUID run = UUID.randomUUID();
  private final MemoryVolumeIo volume = new MemoryVolumeIo(1024 * RECORD);
  private RecordWriter writer;

  @AfterEach
  void stopWriter() {
    if (writer != null) {
      writer.stop();
    }
  }

  @Test
  void writesExactlyTheRecordsAskedForEachFlushed() {
    writer = RecordWriter.builder(volume, run).build();

    writer.writeRecords(25);

    WriterReport report = writer.report();
    assertThat(report.lastAcked()).isEqualTo(24);
    assertThat(report.lastAttempted()).isEqualTo(24);
    assertThat(report.ackedCount()).isEqualTo(25);
    assertThat(report.failure()).isNull();
    assertThat(volume.writes()).isEqualTo(25);
    assertThat(volume.flushes()).isEqualTo(25);
    assertThat(writer.stop().stoppedBecause()).isEqualTo(StopReason.STOPPED);
  }

  @Test
  void withoutFlushingARecordCountsOnceWritten() {
    writer = RecordWriter.builder(volume, run).flushEachRecord(false).build();

    writer.writeRecords(5);

    assertThat(writer.report().lastAcked()).isEqualTo(4);
    assertThat(volume.flushes()).isZero();
  }

  @Test
  void continuesARunFromAGivenSequence() {
    RecordWriter before = RecordWriter.builder(volume, run).build();
    before.writeRecords(10);
    writer = RecordWriter.builder(volume, run).firstSequence(10).build();

    writer.writeRecords(5);

    assertThat(writer.report().ackedCount()).isEqualTo(5);
    Verification found = new RecordVerifier(volume, RecordFormat.DEFAULT, run).verify();
    assertThat(found.lastContiguous()).isEqualTo(14);
    assertThat(found.isPrefixOf(writer.report())).isTrue();
  }

  @Test
  void fullVolumeStopsWithAClearError() {
    MemoryVolumeIo small = new MemoryVolumeIo(10 * RECORD + 100);
    writer = RecordWriter.builder(small, run).build();

    assertThatThrownBy(() -> writer.writeRecords(11))
        .isInstanceOfSatisfying(
            VolumeIoException.class, e -> assertThat(e.kind()).isEqualTo(Kind.OUT_OF_RANGE))
        .hasMessageContaining("volume full")
        .hasMessageContaining("holds 10 records of 4096 bytes");
    assertThat(writer.report().lastAcked()).isEqualTo(9);
    assertThat(writer.report().stoppedBecause()).isEqualTo(StopReason.VOLUME_FULL);
  }

  @Test
  void unpacedWriterOnItsThreadStopsByItselfWhenTheVolumeIsFull() {
    writer = RecordWriter.builder(volume, run).recordsPerSecond(0).build();

    writer.start();

    await("unpaced writer fills the 1024-record volume")
        .atMost(WAIT)
        .pollInterval(POLL)
        .untilAsserted(
            () -> assertThat(writer.report().stoppedBecause()).isEqualTo(StopReason.VOLUME_FULL));
    assertThat(writer.stop().lastAcked()).isEqualTo(1023);
  }

  @Test
  void pacedWriterHoldsItsRate() {
    writer = RecordWriter.builder(volume, run).recordsPerSecond(100).build();
    long started = System.nanoTime();

    writer.start();

    await("paced writer acknowledges 50 records")
        .atMost(WAIT)
        .pollInterval(POLL)
        .until(() -> writer.report().ackedCount() >= 50);
    long acked = writer.report().ackedCount();
    long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
    // record n is issued no earlier than n * 10 ms after the first: 50 take at least 490 ms
    assertThat(elapsedMillis).isGreaterThanOrEqualTo(450);
    assertThat(acked).isLessThanOrEqualTo(elapsedMillis / 10 + 2);
  }

  @Test
  void demotedVolumeEndsTheWriterWithReadOnlyReportedNotThrown() {
    // 100/s: the 1024-record volume lasts ten seconds, far longer than reaching 10 records
    writer = RecordWriter.builder(volume, run).recordsPerSecond(100).build();
    writer.start();
    await("writer acknowledges 10 records before the demote")
        .atMost(WAIT)
        .pollInterval(POLL)
        .until(() -> writer.report().ackedCount() >= 10);

    volume.refuseWrites(Kind.READ_ONLY);

    await("writer stops on the refused write")
        .atMost(WAIT)
        .pollInterval(POLL)
        .untilAsserted(
            () -> assertThat(writer.report().stoppedBecause()).isEqualTo(StopReason.WRITE_FAILED));
    WriterReport report = writer.stop();
    assertThat(report.failure().kind()).isEqualTo(Kind.READ_ONLY);
    assertThat(report.failure().message()).contains("refuses writes");
    assertThat(report.lastAttempted()).isEqualTo(report.lastAcked() + 1);
    Verification found = new RecordVerifier(volume, RecordFormat.DEFAULT, run).verify();
    assertThat(found.lastContiguous()).isEqualTo(report.lastAcked());
    assertThat(found.isPrefixOf(report)).as(found.describe(report)).isTrue();
    assertThat(found.lostRecords(report)).isZero();
  }

  @Test
  void writerThatFailedStaysStopped() {
    writer = RecordWriter.builder(volume, run).build();
    volume.refuseWrites(Kind.FENCED);
    assertThatThrownBy(() -> writer.writeRecords(1)).isInstanceOf(VolumeIoException.class);
    volume.acceptWrites();

    assertThatThrownBy(() -> writer.writeRecords(1))
        .isInstanceOfSatisfying(
            VolumeIoException.class, e -> assertThat(e.kind()).isEqualTo(Kind.FENCED))
        .hasMessageContaining("already stopped");
    assertThat(writer.report().lastAcked()).isEqualTo(-1);
    assertThat(volume.writes()).isZero();
  }

  @Test
  void writerStartsOnlyOnceAndSynchronousWritesWaitForItsThread() {
    writer = RecordWriter.builder(volume, run).recordsPerSecond(10).build();
    writer.start();

    assertThatThrownBy(writer::start).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> writer.writeRecords(1)).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void stoppingAWriterThatNeverWroteReportsNothingAcknowledged() {
    writer = RecordWriter.builder(volume, run).build();

    WriterReport report = writer.stop();

    assertThat(report.lastAcked()).isEqualTo(-1);
    assertThat(report.lastAckedAt()).isNull();
    assertThat(report.ackedCount()).isZero();
    assertThat(report.stoppedBecause()).isEqualTo(StopReason.STOPPED);
  }
}
