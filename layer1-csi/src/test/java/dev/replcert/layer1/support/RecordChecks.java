package dev.replcert.layer1.support;

import dev.replcert.harness.volume.VolumeIo;
import dev.replcert.harness.workload.RecordFormat;
import dev.replcert.harness.workload.RecordVerifier;
import dev.replcert.harness.workload.Verification;
import java.util.UUID;

/**
 * Verification of a run's records read only as far as the run can reach: nothing of a run lies
 * past the last record its writer issued, so a copy is read up to there (and a margin of empty
 * slots that must stay empty) instead of the whole region, which makes repeated looks at a live
 * secondary cheap.
 */
public final class RecordChecks {

  /** Slots read past the last issued record; any record of the run there is a fabrication. */
  static final int MARGIN = 64;

  private RecordChecks() {}

  /** Verifies {@code volume} up to record {@code lastAttempted} plus the margin. */
  public static Verification verify(VolumeIo volume, RecordFormat format, UUID runId, long lastAttempted) {
    long slots = Math.max(0, lastAttempted + 1) + MARGIN;
    return new RecordVerifier(VolumeWindow.of(volume, slots * format.recordSize()), format, runId).verify();
  }
}
