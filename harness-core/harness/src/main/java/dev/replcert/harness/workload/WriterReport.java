package dev.replcert.harness.workload;

import dev.replcert.harness.volume.VolumeIoException;
import java.time.Instant;
import java.util.UUID;

/**
 * What a {@link RecordWriter} knows it wrote: the ground truth a verification on the surviving
 * site is compared against.
 *
 * @param runId the run id in every record
 * @param firstSequence the first sequence this writer wrote (0 unless it continued a run)
 * @param lastAttempted the last sequence whose write was issued, acknowledged or not; -1 if none
 * @param lastAcked the last sequence acknowledged (written, and flushed when flushing each
 *     record); -1 if none
 * @param lastAckedAt the timestamp inside record {@code lastAcked}; null if none
 * @param startedAt when the writer issued its first write; null if it never did
 * @param failure the first error, which stopped the writer; null if none
 * @param stoppedBecause why the writer stopped; {@code RUNNING} for a snapshot of a live writer
 */
public record WriterReport(
    UUID runId,
    long firstSequence,
    long lastAttempted,
    long lastAcked,
    Instant lastAckedAt,
    Instant startedAt,
    Failure failure,
    StopReason stoppedBecause) {

  /** The first error a writer met. */
  public record Failure(VolumeIoException.Kind kind, String message) {}

  /** Why the writer stopped writing. */
  public enum StopReason {
    /** Still writing: this report is a snapshot. */
    RUNNING,
    /** {@link RecordWriter#stop()} was called. */
    STOPPED,
    /** A write or flush failed; see {@link WriterReport#failure()} (READ_ONLY after a demote). */
    WRITE_FAILED,
    /** The next record would not fit on the volume. */
    VOLUME_FULL
  }

  /** Records acknowledged by this writer. */
  public long ackedCount() {
    return lastAcked < firstSequence ? 0 : lastAcked - firstSequence + 1;
  }
}
