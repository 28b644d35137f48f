package dev.replcert.harness.workload;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Dependent writes across two volumes, as a database writes its log and then its data: record
 * {@code n} goes to the first volume, and only once it is acknowledged to the second, and record
 * {@code n + 1} to the first only after that. Any crash-consistent point in time of the pair
 * therefore holds records {@code 0..k} on the first volume and {@code 0..k} or {@code 0..k-1} on
 * the second; anything else (the second ahead, or behind by more than one) means the two volumes
 * were captured at different times, which a consistency group must never do. Each volume keeps its
 * own contiguous run, so each is verified as a single writer's would be.
 */
public final class PairedRecordWriter {

  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);

  private final RecordWriter first;
  private final RecordWriter second;
  private final int stepsPerSecond;
  private volatile boolean stopRequested;
  private Thread thread;

  /**
   * @param first written first at each step
   * @param second written once the first's record of the step is acknowledged
   * @param stepsPerSecond pairs per second; 0 = as fast as the volumes take them
   */
  public PairedRecordWriter(RecordWriter first, RecordWriter second, int stepsPerSecond) {
    this.first = first;
    this.second = second;
    this.stepsPerSecond = stepsPerSecond;
  }

  /** Starts writing on a thread of its own; once. */
  public synchronized void start() {
    if (thread != null) {
      throw new IllegalStateException("paired writer already started");
    }
    thread = new Thread(this::run, "replcert-paired-writer-" + first.runId().toString().substring(0, 8));
    thread.setDaemon(true);
    thread.start();
  }

  private void run() {
    long period = stepsPerSecond == 0 ? 0 : TimeUnit.SECONDS.toNanos(1) / stepsPerSecond;
    long next = System.nanoTime();
    while (!stopRequested) {
      while (period > 0 && !stopRequested && next - System.nanoTime() > 0) {
        LockSupport.parkNanos(this, next - System.nanoTime());
      }
      if (stopRequested) {
        return;
      }
      try {
        first.writeRecords(1);
        second.writeRecords(1);
      } catch (RuntimeException e) {
        return; // recorded in the failed writer's report
      }
      next = Math.max(next + period, System.nanoTime());
    }
  }

  /** Stops after the step in flight; returns the pair's report (see {@link #report()}). */
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
    }
    first.stop();
    second.stop();
    return report();
  }

  /**
   * The pair's progress as one writer's: the first volume's report if it failed, else the second's
   * (its acknowledged records are those of complete steps).
   */
  public WriterReport report() {
    WriterReport a = first.report();
    return a.failure() != null ? a : second.report();
  }

  /** The first volume's own report. */
  public WriterReport firstReport() {
    return first.report();
  }
}
