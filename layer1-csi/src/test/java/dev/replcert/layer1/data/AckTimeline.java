package dev.replcert.layer1.data;

import dev.replcert.harness.workload.RecordWriter;
import dev.replcert.harness.workload.WriterReport;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * When a running writer had its records acknowledged, as sampled by the test: each sample says
 * "by this instant, records up to #n were acknowledged". So "every record acknowledged before T"
 * is at least the newest sample taken before T, never more: the check it feeds can only be too
 * lenient by the sampling interval, never wrong.
 */
final class AckTimeline {

  private record Sample(Instant at, long lastAcked) {}

  private final RecordWriter writer;
  private final List<Sample> samples = new ArrayList<>();

  AckTimeline(RecordWriter writer) {
    this.writer = writer;
  }

  /** Takes a sample now; returns the writer's report it read. */
  synchronized WriterReport sample() {
    WriterReport report = writer.report();
    samples.add(new Sample(Instant.now(), report.lastAcked()));
    return report;
  }

  /** The newest record known to have been acknowledged before {@code instant}; -1 if none. */
  synchronized long ackedBefore(Instant instant) {
    long acked = -1;
    for (Sample sample : samples) {
      if (sample.at().isBefore(instant)) {
        acked = Math.max(acked, sample.lastAcked());
      }
    }
    return acked;
  }

  /** The first instant a sample saw an acknowledged record; null if none yet. */
  synchronized Instant firstAckSeen() {
    return samples.stream()
        .filter(s -> s.lastAcked() >= 0)
        .map(Sample::at)
        .findFirst()
        .orElse(null);
  }
}
