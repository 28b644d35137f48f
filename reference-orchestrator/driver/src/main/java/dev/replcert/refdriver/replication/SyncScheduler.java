package dev.replcert.refdriver.replication;

import dev.replcert.refdriver.link.PeerLink;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs each replicating unit's sync every period (fixed delay: a slow sync is never overlapped by
 * the next), runs requested syncs at once, and probes the peer with a heartbeat so status reports
 * notice a dead link even between syncs. Its threads are non-daemon and end with {@link #close()}.
 */
public final class SyncScheduler implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(SyncScheduler.class);

  private static final Duration MAX_HEARTBEAT = Duration.ofSeconds(1);
  private static final Duration RETRY = Duration.ofSeconds(1);

  private final ScheduledThreadPoolExecutor executor;
  private final Predicate<String> sync;
  private final Supplier<Map<String, Duration>> desired;
  private final Map<String, ScheduledFuture<?>> scheduled = new HashMap<>();
  private final Map<String, Duration> periods = new HashMap<>();
  private final Map<String, ScheduledFuture<?>> retries = new HashMap<>();

  /**
   * @param sync runs one sync of a unit key; true when it failed and should be retried soon
   * @param desired the units that should sync now, with their periods
   */
  public SyncScheduler(String site, Predicate<String> sync, Supplier<Map<String, Duration>> desired) {
    this.executor = new ScheduledThreadPoolExecutor(3, new DefaultThreadFactory("refdriver-" + site + "-sync"));
    this.executor.setRemoveOnCancelPolicy(true);
    this.sync = sync;
    this.desired = desired;
  }

  /** Starts the heartbeat: every period (at most one second) a short Hello to the peer. */
  public void startHeartbeat(PeerLink link, Duration period) {
    if (!link.configured()) {
      return;
    }
    Duration every = period.compareTo(MAX_HEARTBEAT) < 0 ? period : MAX_HEARTBEAT;
    Duration timeout = every.compareTo(Duration.ofMillis(500)) > 0 ? every : Duration.ofMillis(500);
    executor.scheduleWithFixedDelay(
        () -> {
          try {
            link.hello(timeout);
          } catch (RuntimeException e) {
            // recorded by the link as unreachable
          }
        },
        0,
        every.toMillis(),
        TimeUnit.MILLISECONDS);
  }

  /** Brings the schedule in line with the units that should sync now. */
  public synchronized void reconcile() {
    if (executor.isShutdown()) {
      return;
    }
    Map<String, Duration> want = desired.get();
    for (String key : Map.copyOf(scheduled).keySet()) {
      if (!want.containsKey(key) || !want.get(key).equals(periods.get(key))) {
        scheduled.remove(key).cancel(false);
        periods.remove(key);
      }
    }
    want.forEach(
        (key, period) -> {
          if (!scheduled.containsKey(key)) {
            long millis = Math.max(1, period.toMillis());
            scheduled.put(key, executor.scheduleWithFixedDelay(() -> run(key), millis, millis, TimeUnit.MILLISECONDS));
            periods.put(key, period);
          }
        });
  }

  /** Runs a unit's sync now, besides its schedule. */
  public void trigger(String key) {
    if (!executor.isShutdown()) {
      executor.execute(() -> run(key));
    }
  }

  private void run(String key) {
    boolean retry;
    try {
      retry = sync.test(key);
    } catch (RuntimeException e) {
      LOG.warn("sync of {} failed", key, e); // a periodic task must survive to try again
      retry = true;
    }
    if (retry) {
      retrySoon(key);
    }
  }

  /**
   * A failed sync is retried after at most {@link #RETRY} rather than a whole period: with the
   * default one-minute interval, a peer that comes back would otherwise wait up to a minute.
   */
  private synchronized void retrySoon(String key) {
    Duration period = periods.get(key);
    if (period == null || period.compareTo(RETRY) <= 0 || executor.isShutdown()) {
      return; // the next period comes soon enough, or the unit is gone
    }
    ScheduledFuture<?> pending = retries.get(key);
    if (pending == null || pending.isDone()) {
      retries.put(key, executor.schedule(() -> run(key), RETRY.toMillis(), TimeUnit.MILLISECONDS));
    }
  }

  /** Stops scheduling, interrupts syncs in flight and waits for the threads to end. */
  @Override
  public void close() {
    executor.shutdownNow();
    try {
      if (!executor.awaitTermination(10, TimeUnit.SECONDS)) {
        LOG.warn("sync threads still running after 10 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
