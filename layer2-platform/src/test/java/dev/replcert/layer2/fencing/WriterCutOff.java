package dev.replcert.layer2.fencing;

import dev.replcert.harness.config.TimeoutOperation;
import dev.replcert.harness.workload.WorkloadCommand;
import dev.replcert.harness.workload.WriterHandle;
import dev.replcert.harness.workload.WriterReport;
import dev.replcert.layer2.fixture.DrFixture;
import java.time.Duration;
import java.time.Instant;

/**
 * Whether a writer still gets writes acknowledged: storage that refuses fenced I/O ends the
 * writer with a write failure; storage that blocks it leaves the last acknowledged record the same.
 * The stall window is long enough for a healthy writer to acknowledge many records.
 */
final class WriterCutOff {

  private final DrFixture dr;
  private final Duration stall;

  WriterCutOff(DrFixture dr) {
    this.dr = dr;
    Duration poll = dr.waits().timeout(TimeoutOperation.POLL);
    Duration tenRecords = Duration.ofMillis(10_000L / Math.max(1, dr.config().workload().writesPerSecond()));
    // progress is what the writer last printed, a line per PROGRESS_INTERVAL: a window of a few
    // lines, or a loaded machine reading the log late looks like a cut-off (a FENCE_NOT_ENFORCED
    // sweep passed FENCE-001 with a 0.8 s window)
    Duration twoLines = WorkloadCommand.PROGRESS_INTERVAL.multipliedBy(2);
    Duration longest = tenRecords.compareTo(poll) > 0 ? tenRecords : poll;
    this.stall = (longest.compareTo(twoLines) > 0 ? longest : twoLines).multipliedBy(4);
  }

  /** Waits, within the Fence timeout, until the writer ends or acknowledges nothing for the stall window. */
  WriterReport await(WriterHandle writer) {
    Seen[] last = {null};
    return dr.waits().until(writer.describe() + " gets no write acknowledged any more (ended, or nothing new for "
            + stall + ")", TimeoutOperation.FENCE, () -> {
              WriterReport now = writer.progress();
              if (last[0] == null || last[0].report().lastAcked() != now.lastAcked()) {
                last[0] = new Seen(now, Instant.now());
              } else {
                last[0] = new Seen(now, last[0].since());
              }
              return last[0];
            },
            seen -> seen.report().stoppedBecause() != WriterReport.StopReason.RUNNING
                || Duration.between(seen.since(), Instant.now()).compareTo(stall) >= 0)
        .report();
  }

  /** Waits until the writer acknowledged {@code records} records after {@code from}. */
  WriterReport awaitWrites(WriterHandle writer, long from, int records) {
    return dr.waits().until(writer.describe() + " acknowledges records past #" + (from + records),
        TimeoutOperation.POD_START, writer::progress, r -> r.lastAcked() >= from + records);
  }

  private record Seen(WriterReport report, Instant since) {
    @Override
    public String toString() {
      return report + " (last acknowledgement unchanged since " + since + ")";
    }
  }
}
