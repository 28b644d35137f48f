package dev.replcert.harness.workload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.replcert.harness.volume.MemoryVolumeIo;
import dev.replcert.harness.workload.Verification.CorruptRecord;
import dev.replcert.harness.workload.Verification.Gap;
import dev.replcert.harness.workload.WriterReport.StopReason;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** What the verifier finds on a volume after the writer, and damage, had their way with it. */
class RecordVerifierTest {

  private static final int RECORD = 4096;
  private final UUID run = UUID.randomUUID();
  private final StepClock clock = new StepClock(Duration.ofSeconds(1));
  private final MemoryVolumeIo volume = new MemoryVolumeIo(256 * RECORD);

  @Test
  void everythingWrittenIsFoundAsAContiguousPrefix() {
    WriterReport writer = write(run, 100);

    Verification found = verify(run);

    assertThat(found.lastContiguous()).isEqualTo(99);
    assertThat(found.validCount()).isEqualTo(100);
    assertThat(found.gaps()).isEmpty();
    assertThat(found.corrupt()).isEmpty();
    assertThat(found.lastWriteTime()).isEqualTo(clock.at(99)).isEqualTo(writer.lastAckedAt());
    assertThat(found.slotsScanned()).isEqualTo(256);
    assertThat(found.isPrefixOf(writer)).as(found.describe(writer)).isTrue();
    assertThat(found.lostRecords(writer)).isZero();
    assertThat(found.lostSeconds(writer)).isZero();
  }

  @Test
  void theContiguousPrefixAloneIsFoundWithoutReadingPastIt() {
    assertThat(verifier(run).lastContiguous()).as("empty volume").isEqualTo(-1);
    write(run, 100);
    assertThat(verifier(run).lastContiguous()).as("records #0..#99").isEqualTo(99);
    flipByte(42L * RECORD + 1000);
    assertThat(verifier(run).lastContiguous()).as("#42 damaged")
        .isEqualTo(41)
        .isEqualTo(verify(run).lastContiguous());
  }

  @Test
  void emptyVolumeHasNoPrefix() {
    Verification found = verify(run);

    assertThat(found.lastContiguous()).isEqualTo(-1);
    assertThat(found.validCount()).isZero();
    assertThat(found.lastWriteTime()).isNull();
    assertThat(found.describe()).contains("no contiguous prefix");
  }

  @Test
  void oneDamagedByteIsReportedAtItsSequence() {
    WriterReport writer = write(run, 100);
    flipByte(42L * RECORD + 1000);

    Verification found = verify(run);

    assertThat(found.corrupt())
        .containsExactly(new CorruptRecord(42, 42L * RECORD, "checksum mismatch"));
    assertThat(found.lastContiguous()).isEqualTo(41);
    assertThat(found.lastValid()).isEqualTo(99);
    assertThat(found.validCount()).isEqualTo(99);
    assertThat(found.isPrefixOf(writer)).isFalse();
    assertThat(found.describe()).contains("#42 at byte 172032 (checksum mismatch)");
  }

  @Test
  void missingRecordsBeforeTheLastIntactOneAreAGap() {
    WriterReport writer = write(run, 100);
    zero(10, 3);

    Verification found = verify(run);

    assertThat(found.gaps()).containsExactly(new Gap(10, 12));
    assertThat(found.missingCount()).isEqualTo(3);
    assertThat(found.lastContiguous()).isEqualTo(9);
    assertThat(found.lastWriteTime()).isEqualTo(clock.at(9));
    assertThat(found.isPrefixOf(writer)).isFalse();
    assertThat(found.describe()).contains("gaps: #10..#12 (3 records missing)");
  }

  @Test
  void gapsAcrossReadChunksWithAnOddRecordSizeAreFound() {
    RecordFormat odd = new RecordFormat(1000);
    MemoryVolumeIo big = new MemoryVolumeIo(3 * (1 << 20) + 123);
    RecordWriter oddWriter = RecordWriter.builder(big, run).format(odd).build();
    oddWriter.writeRecords(3000);
    WriterReport writer = oddWriter.stop();
    // records 1040..1050 straddle the first 1 MiB chunk (1048 records of 1000 bytes)
    big.write(odd.offsetOf(1040), new byte[11 * 1000]);

    Verification found = new RecordVerifier(big, odd, run).verify();

    assertThat(found.slotsScanned()).isEqualTo(3145);
    assertThat(found.gaps()).containsExactly(new Gap(1040, 1050));
    assertThat(found.validCount()).isEqualTo(2989);
    assertThat(found.lastValid()).isEqualTo(writer.lastAcked());
  }

  @Test
  void lostTailIsLossNotAGapAndItsRpoIsMeasuredInRecordsAndSeconds() {
    WriterReport writer = write(run, 100);
    zero(80, 20);

    Verification found = verify(run);

    assertThat(found.gaps()).isEmpty();
    assertThat(found.isPrefixOf(writer)).isTrue();
    assertThat(found.lostRecords(writer)).isEqualTo(20);
    // record 79 written at step 79, the last acknowledged (99) at step 99
    assertThat(found.lostSeconds(writer)).isEqualTo(20.0);
    assertThat(found.describe(writer)).contains("lost 20 records, 20.0 s");
  }

  @Test
  void whenNothingSurvivedTheWholeWritingSpanIsLost() {
    WriterReport writer = write(run, 10);
    zero(0, 10);

    Verification found = verify(run);

    assertThat(found.lostRecords(writer)).isEqualTo(10);
    assertThat(found.lostTime(writer)).isEqualTo(Duration.ofSeconds(9));
  }

  @Test
  void recordsOfAnotherRunOnAReusedVolumeAreIgnored() {
    UUID earlier = UUID.randomUUID();
    write(earlier, 50);
    WriterReport writer = write(run, 20);

    Verification ours = verify(run);
    Verification theirs = verify(earlier);

    assertThat(ours.lastContiguous()).isEqualTo(19);
    assertThat(ours.foreignCount()).isEqualTo(30);
    assertThat(ours.isPrefixOf(writer)).isTrue();
    assertThat(ours.describe()).contains("30 records of other runs ignored");
    // the earlier run's surviving records cannot be mistaken for a prefix of it either
    assertThat(theirs.lastContiguous()).isEqualTo(-1);
    assertThat(theirs.gaps()).containsExactly(new Gap(0, 19));
  }

  @Test
  void oneTornRecordAfterThePrefixIsCrashConsistentOnlyIfTheWriterIssuedIt() {
    write(run, 10);
    byte[] torn = RecordFormat.DEFAULT.encode(run, 10, Instant.now());
    volume.write(10L * RECORD, Arrays.copyOf(torn, 512));

    Verification found = verify(run);

    assertThat(found.corruptCount()).isEqualTo(1);
    assertThat(found.isPrefixOf(report(10, 9))).isTrue();
    assertThat(found.isPrefixOf(report(9, 9))).isFalse();
  }

  @Test
  void recordsTheWriterNeverIssuedAreNotAPrefix() {
    write(run, 20);

    Verification found = verify(run);

    assertThat(found.isPrefixOf(report(19, 18))).as("landed but unacknowledged").isTrue();
    assertThat(found.isPrefixOf(report(9, 9))).as("more than was ever issued").isFalse();
  }

  @Test
  void comparingWithAnotherRunsWriterIsAMistake() {
    write(run, 1);
    Verification found = verify(run);
    WriterReport other =
        new WriterReport(UUID.randomUUID(), 0, 0, 0, Instant.EPOCH, Instant.EPOCH, null, null);

    assertThatThrownBy(() -> found.lostRecords(other))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("compared with a writer of run");
  }

  private WriterReport write(UUID runId, int count) {
    RecordWriter writer = RecordWriter.builder(volume, runId).clock(clock).build();
    writer.writeRecords(count);
    return writer.stop();
  }

  private WriterReport report(long lastAttempted, long lastAcked) {
    return new WriterReport(
        run, 0, lastAttempted, lastAcked, clock.at(lastAcked), clock.at(0), null,
        StopReason.STOPPED);
  }

  private Verification verify(UUID runId) {
    return verifier(runId).verify();
  }

  private RecordVerifier verifier(UUID runId) {
    return new RecordVerifier(volume, RecordFormat.DEFAULT, runId);
  }

  private void zero(long first, int records) {
    volume.write(first * RECORD, new byte[records * RECORD]);
  }

  private void flipByte(long offset) {
    byte[] one = volume.read(offset, 1);
    one[0] ^= 0x10;
    volume.write(offset, one);
  }
}
