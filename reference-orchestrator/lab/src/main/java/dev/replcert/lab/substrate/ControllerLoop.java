package dev.replcert.lab.substrate;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The work queue of one level-triggered controller, as client-go's is: keys, not events, so a key
 * queued twice is reconciled once; one thread, so reconciles never race each other; a failed
 * reconcile is retried with exponential backoff (what makes a FailedMount retry, a conflict on
 * update heal).
 */
public final class ControllerLoop implements AutoCloseable {

  /** Reconciles one key from current state; returns when to look again, if ever. */
  @FunctionalInterface
  public interface Reconciler {
    Optional<Duration> reconcile(String key) throws Exception;
  }

  private static final Logger LOG = LoggerFactory.getLogger(ControllerLoop.class);
  private static final Duration FIRST_BACKOFF = Duration.ofMillis(50);
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(2);

  private final String name;
  private final Reconciler reconciler;
  private final ScheduledExecutorService executor;
  private final Set<String> queued = ConcurrentHashMap.newKeySet();
  private final Map<String, Duration> backoffs = new ConcurrentHashMap<>();

  /** At most one delayed look per key: a later request replaces it, so retries never multiply. */
  private final Map<String, ScheduledFuture<?>> delayed = new ConcurrentHashMap<>();

  public ControllerLoop(String name, Reconciler reconciler) {
    this.name = name;
    this.reconciler = reconciler;
    this.executor =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, name);
              t.setDaemon(true);
              return t;
            });
  }

  /** Reconcile {@code key} soon (once, however often it is queued before it runs). */
  public void enqueue(String key) {
    enqueueAfter(key, Duration.ZERO);
  }

  /** Reconcile {@code key} after {@code delay}, replacing an earlier delayed look at it. */
  public void enqueueAfter(String key, Duration delay) {
    if (key == null || executor.isShutdown()) {
      return;
    }
    try {
      if (delay.isZero()) {
        if (queued.add(key)) {
          executor.execute(() -> run(key, true));
        }
        return;
      }
      delayed.compute(
          key,
          (k, earlier) -> {
            if (earlier != null) {
              earlier.cancel(false);
            }
            return executor.schedule(
                () -> run(key, false), delay.toMillis(), TimeUnit.MILLISECONDS);
          });
    } catch (RejectedExecutionException e) {
      // closing
    }
  }

  private void run(String key, boolean fromQueue) {
    if (fromQueue) {
      queued.remove(key);
    } else {
      delayed.remove(key);
    }
    try {
      Optional<Duration> again = reconciler.reconcile(key);
      backoffs.remove(key);
      again.ifPresent(d -> enqueueAfter(key, d));
    } catch (Exception e) {
      Duration backoff =
          backoffs.merge(key, FIRST_BACKOFF, (old, first) -> min(old.multipliedBy(2)));
      LOG.debug("{}: reconcile of {} failed, again in {}: {}", name, key, backoff, e.toString());
      enqueueAfter(key, backoff);
    }
  }

  private static Duration min(Duration d) {
    return d.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : d;
  }

  @Override
  public void close() {
    executor.shutdownNow();
    try {
      executor.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
