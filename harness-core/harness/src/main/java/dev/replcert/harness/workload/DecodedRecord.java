package dev.replcert.harness.workload;

import java.time.Instant;
import java.util.UUID;

/** What one record slot of a volume holds, as {@link RecordFormat#decode} reads it. */
public sealed interface DecodedRecord {

  /** An intact record of the expected run, in its own slot. */
  record Valid(long sequence, Instant writtenAt) implements DecodedRecord {}

  /** Never written: every byte zero. */
  record Empty() implements DecodedRecord {}

  /** Something is there but it is not an intact record of ours; {@code reason} says what. */
  record Corrupt(String reason) implements DecodedRecord {}

  /**
   * An intact record of another run: left over on a reused volume. Ignored, so stale data can
   * never stand in for the records a test is checking.
   */
  record Foreign(UUID runId) implements DecodedRecord {}
}
