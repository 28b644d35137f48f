package dev.replcert.layer1.data;

import dev.replcert.harness.config.CertificationConfig;
import dev.replcert.harness.track.ResourceTracker;
import dev.replcert.harness.volume.VolumeIo;
import dev.replcert.harness.workload.RecordFormat;
import dev.replcert.harness.workload.RecordVerifier;
import dev.replcert.harness.workload.RecordWriter;
import dev.replcert.harness.workload.Verification;
import dev.replcert.harness.workload.WriterReport;
import dev.replcert.layer1.support.VolumeWindow;
import java.time.Duration;
import java.util.UUID;

/**
 * The record workload of the data tests, shaped by cert.yaml's {@code workload} (record size,
 * writes per second): a steady writer on its own thread, or a batch of records written at once.
 * Writers and verifiers work in the same window at the start of the volume, sized so the writer
 * never runs out of room in the longest test (three sync intervals plus half a minute at the
 * configured rate), so verifying never reads a whole volume of zeros.
 */
final class Workload {

  private static final long MIN_WINDOW_RECORDS = 2048;

  private final RecordFormat format;
  private final int recordsPerSecond;
  private final long windowBytes;
  private final ResourceTracker tracker;

  /** cert.yaml's workload, in a window for three sync intervals plus half a minute of writing. */
  Workload(CertificationConfig config, Duration syncInterval, ResourceTracker tracker) {
    this(
        new RecordFormat(config.workload().recordSize()),
        config.workload().writesPerSecond(),
        Math.max(
            MIN_WINDOW_RECORDS,
            config.workload().writesPerSecond()
                * syncInterval.multipliedBy(3).plusSeconds(30).toSeconds()),
        tracker);
  }

  Workload(RecordFormat format, int recordsPerSecond, long windowRecords, ResourceTracker tracker) {
    this.format = format;
    this.recordsPerSecond = recordsPerSecond;
    this.windowBytes = windowRecords * format.recordSize();
    this.tracker = tracker;
  }

  int recordsPerSecond() {
    return recordsPerSecond;
  }

  RecordFormat format() {
    return format;
  }

  /** The part of a published volume this workload writes and verifies. */
  VolumeIo window(VolumeIo volume) {
    return VolumeWindow.of(volume, windowBytes);
  }

  /**
   * A writer at the configured rate that flushes every record before counting it acknowledged
   * (what a database does before it answers a commit), started now and stopped at cleanup.
   */
  RecordWriter startSteady(VolumeIo window, UUID run, long firstSequence) {
    RecordWriter writer =
        RecordWriter.builder(window, run)
            .format(format)
            .recordsPerSecond(recordsPerSecond)
            .firstSequence(firstSequence)
            .build();
    tracker.track("writer of run " + run, writer::stop);
    writer.start();
    return writer;
  }

  /**
   * Writes {@code count} records now and then flushes once: all of them are acknowledged when this
   * returns. Fails the test if the storage refused any of them.
   */
  WriterReport writeBatch(VolumeIo window, UUID run, long firstSequence, int count) {
    RecordWriter writer =
        RecordWriter.builder(window, run)
            .format(format)
            .flushEachRecord(false)
            .firstSequence(firstSequence)
            .build();
    try {
      writer.writeRecords(count);
      window.flush();
    } catch (RuntimeException e) {
      throw new AssertionError(
          "writing records #" + firstSequence + "..#" + (firstSequence + count - 1) + " of run "
              + run + " to " + window + " failed: " + e,
          e);
    }
    return writer.report();
  }

  Verification verify(VolumeIo window, UUID run) {
    return new RecordVerifier(window, format, run).verify();
  }
}
