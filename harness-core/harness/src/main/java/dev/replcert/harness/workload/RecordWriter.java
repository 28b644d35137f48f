package dev.replcert.harness.workload;

import dev.replcert.harness.volume.VolumeIo;
import dev.replcert.harness.volume.VolumeIoException;
import dev.replcert.harness.volume.VolumeIoException.Kind;
import dev.replcert.harness.workload.WriterReport.Failure;
import dev.replcert.harness.workload.WriterReport.StopReason;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Writes records 0, 1, 2, ... through a {@link VolumeIo}, each in its own slot, and remembers what
 * the storage acknowledged. A record counts as written only once its write (and, by default, its
 * flush) returned: that is the promise replication must keep on the surviving site.
 *
 * <p>Run it on its own thread with {@link #start()} / {@link #stop()}, paced at a steady rate, or
 * synchronously with {@link #writeRecords(int)} when a test wants exact counts. The first failure
 * ends the writer: after a demote, READ_ONLY is the expected end and is reported, not thrown.
 */
public final class RecordWriter {

  // A write in flight is bounded by the VolumeIo's own deadline; this only guards a hung file.
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);

  private final VolumeIo volume;
  private final RecordFormat format;
  private final UUID runId;
  private final int recordsPerSecond;
  private final boolean flushEachRecord;
  private final Clock clock;
  private final long capacity;
  private final long firstSequence;

  // Written by whichever thread writes; read by report() from any thread.
  private long nextSequence;
  private long lastAttempted;
  private long lastAcked;
  private Instant lastAckedAt;
  private Instant startedAt;
  private Failure failure;
  private StopReason stopReason = StopReason.RUNNING;

  private volatile boolean stopRequested;
  private Thread thread;

  private RecordWriter(Builder builder) {
    this.volume = builder.volume;
    this.format = builder.format;
    this.runId = builder.runId;
    this.recordsPerSecond = builder.recordsPerSecond;
    this.flushEachRecord = builder.flushEachRecord;
    this.clock = builder.clock;
    this.capacity = format.capacity(volume.size());
    this.firstSequence = builder.firstSequence;
    this.nextSequence = firstSequence;
    this.lastAttempted = firstSequence - 1;
    this.lastAcked = firstSequence - 1;
  }

  /** A writer of run {@code runId} to {@code volume}: 4 KiB records, 50 per second, flushed. */
  public static Builder builder(VolumeIo volume, UUID runId) {
    return new Builder(volume, runId);
  }

  public UUID runId() {
    return runId;
  }

  public RecordFormat format() {
    return format;
  }

  /**
   * Writes exactly {@code count} records now, on the calling thread, unpaced.
   *
   * @throws VolumeIoException the first failure (OUT_OF_RANGE with "volume full" when the volume
   *     has no room left); the records before it stay counted in {@link #report()}, and the
   *     writer stays stopped: later calls throw the same kind without writing
   */
  public void writeRecords(int count) {
    synchronized (this) {
      if (thread != null && thread.isAlive()) {
        throw new IllegalStateException("writer of run " + runId + " is running on its thread");
      }
    }
    for (int i = 0; i < count; i++) {
      VolumeIoException full = writeOne();
      if (full != null) {
        throw full;
      }
    }
  }

  /** Starts writing on a thread of its own at the configured rate; once per writer. */
  public synchronized void start() {
    if (thread != null) {
      throw new IllegalStateException("writer of run " + runId + " was already started");
    }
    thread = new Thread(this::run, "replcert-writer-" + runId.toString().substring(0, 8));
    thread.setDaemon(true);
    thread.start();
  }

  /** Stops the thread after the write in flight and reports; fine if it already stopped. */
  public WriterReport stop() {
    Thread running;
    synchronized (this) {
      running = thread;
    }
    stopRequested = true;
    if (running != null) {
      LockSupport.unpark(running);
      try {
        running.join(STOP_TIMEOUT.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      if (running.isAlive()) {
        throw new IllegalStateException(
            "writer of run " + runId + " did not finish its write within " + STOP_TIMEOUT
                + "; last state: " + report());
      }
    }
    synchronized (this) {
      if (stopReason == StopReason.RUNNING) {
        stopReason = StopReason.STOPPED;
      }
    }
    return report();
  }

  /** What the writer has done so far; safe to poll while it runs. */
  public synchronized WriterReport report() {
    return new WriterReport(
        runId,
        firstSequence,
        lastAttempted,
        lastAcked,
        lastAckedAt,
        startedAt,
        failure,
        stopReason);
  }

  private void run() {
    long period = recordsPerSecond == 0 ? 0 : TimeUnit.SECONDS.toNanos(1) / recordsPerSecond;
    long next = System.nanoTime();
    while (!stopRequested) {
      if (period > 0 && !parkUntil(next)) {
        break;
      }
      if (writeOne() != null) {
        return;
      }
      // Deadline schedule: steady while writes keep up; after a stall, carry on from now
      // rather than bursting to catch up, which would distort the rate the test asked for.
      next = Math.max(next + period, System.nanoTime());
    }
  }

  /** Parks until the deadline; false if a stop was requested meanwhile. */
  private boolean parkUntil(long deadline) {
    long remaining;
    while (!stopRequested && (remaining = deadline - System.nanoTime()) > 0) {
      LockSupport.parkNanos(this, remaining);
    }
    return !stopRequested;
  }

  /**
   * Writes the next record. Returns the failure that ended the writer (also recorded in the
   * report), or null after an acknowledged record.
   */
  private VolumeIoException writeOne() {
    long sequence;
    Instant at = clock.instant().truncatedTo(ChronoUnit.MICROS);
    synchronized (this) {
      if (failure != null) {
        return new VolumeIoException(
            failure.kind(), "writer of run " + runId + " already stopped: " + failure.message());
      }
      sequence = nextSequence;
      if (sequence >= capacity) {
        VolumeIoException full =
            new VolumeIoException(
                Kind.OUT_OF_RANGE,
                "volume full: " + volume + " holds " + capacity + " records of "
                    + format.recordSize() + " bytes; record " + sequence + " does not fit");
        return stopWith(StopReason.VOLUME_FULL, full);
      }
      lastAttempted = sequence;
      if (startedAt == null) {
        startedAt = at;
      }
    }
    byte[] record = format.encode(runId, sequence, at);
    try {
      volume.write(format.offsetOf(sequence), record);
      if (flushEachRecord) {
        volume.flush();
      }
    } catch (VolumeIoException e) {
      return stopWith(StopReason.WRITE_FAILED, e);
    } catch (RuntimeException e) {
      return stopWith(StopReason.WRITE_FAILED, new VolumeIoException(Kind.IO, e.toString(), e));
    }
    synchronized (this) {
      lastAcked = sequence;
      lastAckedAt = at;
      nextSequence = sequence + 1;
    }
    return null;
  }

  private synchronized VolumeIoException stopWith(StopReason reason, VolumeIoException e) {
    if (failure == null) {
      failure = new Failure(e.kind(), e.getMessage());
      stopReason = reason;
    }
    return e;
  }

  /** Settings of a {@link RecordWriter}; defaults match {@code WorkloadConfig}. */
  public static final class Builder {

    private final VolumeIo volume;
    private final UUID runId;
    private RecordFormat format = RecordFormat.DEFAULT;
    private int recordsPerSecond = 50;
    private boolean flushEachRecord = true;
    private long firstSequence;
    private Clock clock = Clock.systemUTC();

    private Builder(VolumeIo volume, UUID runId) {
      this.volume = Objects.requireNonNull(volume, "volume");
      this.runId = Objects.requireNonNull(runId, "runId");
    }

    public Builder format(RecordFormat format) {
      this.format = Objects.requireNonNull(format, "format");
      return this;
    }

    /** Records per second on the writer's thread; 0 writes as fast as the storage allows. */
    public Builder recordsPerSecond(int recordsPerSecond) {
      if (recordsPerSecond < 0) {
        throw new IllegalArgumentException("recordsPerSecond " + recordsPerSecond + " < 0");
      }
      this.recordsPerSecond = recordsPerSecond;
      return this;
    }

    /**
     * Whether each record is flushed before it counts as acknowledged (default). Without it a
     * record counts once its write returned, which promises less about durability.
     */
    public Builder flushEachRecord(boolean flushEachRecord) {
      this.flushEachRecord = flushEachRecord;
      return this;
    }

    /**
     * Continues a run from this sequence, e.g. after a failover the application writes on the
     * new primary from {@code verification.lastContiguous() + 1}.
     */
    public Builder firstSequence(long firstSequence) {
      if (firstSequence < 0) {
        throw new IllegalArgumentException("firstSequence " + firstSequence + " < 0");
      }
      this.firstSequence = firstSequence;
      return this;
    }

    /** The clock of the timestamps inside records (RPO in seconds is measured with them). */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    public RecordWriter build() {
      return new RecordWriter(this);
    }
  }
}
