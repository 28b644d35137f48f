package dev.replcert.layer1.support;

import dev.replcert.harness.volume.VolumeIo;
import dev.replcert.harness.volume.VolumeIoException;
import dev.replcert.harness.workload.RecordFormat;
import dev.replcert.harness.workload.RecordWriter;
import dev.replcert.harness.workload.WriterReport;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * Dependent writes across the members of a volume group, as a database spreads them over its data
 * and log volumes: one global sequence, record {@code n} going to member {@code n mod k}, each
 * written and flushed only after the previous one was acknowledged (flushed, so the storage has
 * it, whatever cache sits between). So no member may hold a record whose predecessor on another
 * member is missing: any copy taken at one point in time holds a contiguous prefix of the global
 * sequence ({@link GroupSnapshot}).
 *
 * <p>Writes as fast as the storage acknowledges, on a thread of its own, until stopped or until a
 * write fails (site down, fenced, demoted): the first failure ends it, as it ends an application.
 */
public final class DependentWriter {

  private final UUID runId = UUID.randomUUID();
  private final RecordFormat format;
  private final List<RecordWriter> writers;
  private volatile boolean stopRequested;
  private volatile VolumeIoException failure;
  private Thread thread;

  /** @param members the members' volumes (their record regions) in write order */
  public DependentWriter(List<VolumeIo> members, RecordFormat format) {
    this.format = format;
    this.writers =
        members.stream()
            .map(v -> RecordWriter.builder(v, runId).format(format).recordsPerSecond(0).build())
            .toList();
  }

  public UUID runId() {
    return runId;
  }

  public RecordFormat format() {
    return format;
  }

  public synchronized void start() {
    if (thread != null) {
      throw new IllegalStateException("dependent writer " + runId + " already started");
    }
    thread = new Thread(this::run, "replcert-dependent-" + runId.toString().substring(0, 8));
    thread.setDaemon(true);
    thread.start();
  }

  private void run() {
    try {
      while (!stopRequested) {
        for (RecordWriter writer : writers) {
          writer.writeRecords(1);
        }
      }
    } catch (VolumeIoException e) {
      failure = e;
    }
  }

  /** Stops after the write in flight; returns each member's report, in write order. */
  public List<WriterReport> stop() {
    stopRequested = true;
    Thread running;
    synchronized (this) {
      running = thread;
    }
    if (running != null) {
      try {
        running.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    return reports();
  }

  /** What each member's writer has done so far, in write order. */
  public List<WriterReport> reports() {
    return writers.stream().map(RecordWriter::report).toList();
  }

  /** Records acknowledged so far, over all members. */
  public long acknowledged() {
    return reports().stream().mapToLong(WriterReport::ackedCount).sum();
  }

  /** The timestamp inside the last acknowledged record; null if none. */
  public Instant lastAckedAt() {
    return reports().stream()
        .map(WriterReport::lastAckedAt)
        .filter(Objects::nonNull)
        .max(Comparator.naturalOrder())
        .orElse(null);
  }

  /** The write failure that ended the writer, or null. */
  public VolumeIoException failure() {
    return failure;
  }
}
