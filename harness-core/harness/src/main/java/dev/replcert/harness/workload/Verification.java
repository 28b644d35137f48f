package dev.replcert.harness.workload;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * What a volume holds of one run, as {@link RecordVerifier} read it: the evidence a DR test
 * asserts on and attaches to the report. Records of other runs are counted, never used.
 *
 * @param runId the run checked
 * @param recordSize bytes per record
 * @param slotsScanned record slots read (the volume's capacity)
 * @param lastContiguous the highest n such that records 0..n are all intact; -1 if none
 * @param validCount intact records anywhere on the volume
 * @param lastValid the highest intact sequence; -1 if none. Above {@code lastContiguous} only if
 *     something is missing or corrupt in between
 * @param gaps ranges without a record of this run (empty or another run's) before {@code
 *     lastValid}, first {@value #MAX_LISTED} listed; the missing tail is loss, not a gap
 * @param missingCount records missing in all gaps, listed or not
 * @param corrupt damaged records anywhere, first {@value #MAX_LISTED} listed
 * @param corruptCount damaged records, listed or not
 * @param foreignCount intact records of other runs (a reused volume)
 * @param lastWriteTime the timestamp inside record {@code lastContiguous}; null if none
 */
public record Verification(
    UUID runId,
    int recordSize,
    long slotsScanned,
    long lastContiguous,
    long validCount,
    long lastValid,
    List<Gap> gaps,
    long missingCount,
    List<CorruptRecord> corrupt,
    long corruptCount,
    long foreignCount,
    Instant lastWriteTime) {

  /** Lists are capped so a volume of garbage cannot exhaust memory; counts stay exact. */
  public static final int MAX_LISTED = 1000;

  private static final int DESCRIBED = 5;

  public Verification {
    gaps = List.copyOf(gaps);
    corrupt = List.copyOf(corrupt);
  }

  /** Records {@code first..last} (inclusive) are missing. */
  public record Gap(long first, long last) {
    public long count() {
      return last - first + 1;
    }

    @Override
    public String toString() {
      return first == last ? "#" + first : "#" + first + "..#" + last;
    }
  }

  /** The record in slot {@code sequence}, at byte {@code offset}, is damaged. */
  public record CorruptRecord(long sequence, long offset, String reason) {
    @Override
    public String toString() {
      return "#" + sequence + " at byte " + offset + " (" + reason + ")";
    }
  }

  /**
   * Whether the volume holds a crash-consistent image of what {@code writer} wrote: records
   * 0..lastContiguous intact, nothing of the run after them, and nothing the writer never issued.
   * Records past {@code lastAcked} are allowed up to {@code lastAttempted}: a write that landed
   * before its acknowledgement was lost is still the application's write. Likewise one damaged
   * record right after the prefix is allowed if the writer had issued it: a write torn in flight
   * is what a crash leaves, and no acknowledged data is damaged by it.
   */
  public boolean isPrefixOf(WriterReport writer) {
    requireSameRun(writer);
    boolean nothingAfterPrefix = gaps.isEmpty() && lastValid == lastContiguous;
    boolean issued = lastContiguous <= writer.lastAttempted();
    return nothingAfterPrefix && issued && (corruptCount == 0 || tornTail(writer));
  }

  /** The only damaged record is the one after the prefix, and the writer had issued it. */
  public boolean tornTail(WriterReport writer) {
    requireSameRun(writer);
    long next = lastContiguous + 1;
    return corruptCount == 1 && corrupt.get(0).sequence() == next && next <= writer.lastAttempted();
  }

  /** Acknowledged records not in the intact prefix: the RPO in records. */
  public long lostRecords(WriterReport writer) {
    requireSameRun(writer);
    return Math.max(0, writer.lastAcked() - lastContiguous);
  }

  /**
   * The RPO in time: from the last record of the prefix to the last acknowledged one, both by the
   * timestamps inside the records. Nothing of the run survived: the writer's whole span.
   */
  public Duration lostTime(WriterReport writer) {
    if (lostRecords(writer) == 0) {
      return Duration.ZERO;
    }
    Instant since = lastWriteTime != null ? lastWriteTime : writer.startedAt();
    Duration lost = Duration.between(since, writer.lastAckedAt());
    return lost.isNegative() ? Duration.ZERO : lost;
  }

  /** {@link #lostTime} in seconds, for the report. */
  public double lostSeconds(WriterReport writer) {
    return lostTime(writer).toNanos() / 1e9;
  }

  /** One paragraph for assertion messages and evidence. */
  public String describe() {
    StringBuilder text = new StringBuilder();
    text.append("run ").append(runId).append(": ");
    text.append(validCount).append(" intact records of ").append(recordSize).append(" bytes in ");
    text.append(slotsScanned).append(" slots; ");
    if (lastContiguous < 0) {
      text.append("no contiguous prefix (record #0 missing or damaged)");
    } else {
      text.append("contiguous #0..#").append(lastContiguous);
      text.append(", last written ").append(lastWriteTime);
    }
    if (lastValid > lastContiguous) {
      text.append("; intact records up to #").append(lastValid);
    }
    text.append("; gaps: ").append(listed(gaps, gaps.size()));
    if (!gaps.isEmpty()) {
      text.append(" (").append(missingCount).append(" records missing)");
    }
    text.append("; corrupt: ").append(listed(corrupt, corruptCount));
    if (foreignCount > 0) {
      text.append("; ").append(foreignCount).append(" records of other runs ignored");
    }
    return text.append('.').toString();
  }

  /** {@link #describe()} measured against what the writer acknowledged. */
  public String describe(WriterReport writer) {
    return describe()
        + " Writer acknowledged #"
        + writer.firstSequence()
        + "..#"
        + writer.lastAcked()
        + " (issued up to #"
        + writer.lastAttempted()
        + ", stopped: "
        + writer.stoppedBecause()
        + (writer.failure() == null ? "" : ", " + writer.failure().kind())
        + "); lost "
        + lostRecords(writer)
        + " records, "
        + lostSeconds(writer)
        + " s; crash-consistent prefix: "
        + (isPrefixOf(writer) ? "yes" : "NO")
        + ".";
  }

  private static String listed(List<?> items, long total) {
    if (total == 0) {
      return "none";
    }
    String shown =
        items.stream().limit(DESCRIBED).map(Object::toString).collect(Collectors.joining(", "));
    return total > DESCRIBED ? shown + " and " + (total - DESCRIBED) + " more" : shown;
  }

  private void requireSameRun(WriterReport writer) {
    if (!runId.equals(writer.runId())) {
      throw new IllegalArgumentException(
          "verification of run " + runId + " compared with a writer of run " + writer.runId());
    }
  }
}
