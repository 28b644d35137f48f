package dev.replcert.lab.substrate.csiaddons;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A controller's work queue: keys are reconciled one at a time on one thread; a key queued again
 * while it waits runs once, at the earlier of its times. The reconcile function answers when to
 * look again (empty: only on the next event); a failure is retried after {@code errorRequeue}.
 */
final class WorkQueue implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(WorkQueue.class);

  private final String name;
  private final Function<String, Optional<Duration>> reconcile;
  private final Duration errorRequeue;
  private final ScheduledExecutorService executor;
  private final Map<String, Pending> pending = new HashMap<>();

  private record Pending(long dueNanos, ScheduledFuture<?> future) {}

  WorkQueue(String name, Function<String, Optional<Duration>> reconcile, Duration errorRequeue) {
    this.name = name;
    this.reconcile = reconcile;
    this.errorRequeue = errorRequeue;
    this.executor =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "csi-addons-" + name);
              t.setDaemon(true);
              return t;
            });
  }

  void add(String key) {
    addAfter(key, Duration.ZERO);
  }

  synchronized void addAfter(String key, Duration delay) {
    if (executor.isShutdown()) {
      return;
    }
    long due = System.nanoTime() + delay.toNanos();
    Pending existing = pending.get(key);
    if (existing != null) {
      if (existing.dueNanos() <= due) {
        return;
      }
      existing.future().cancel(false);
    }
    ScheduledFuture<?> future =
        executor.schedule(() -> run(key), delay.toNanos(), TimeUnit.NANOSECONDS);
    pending.put(key, new Pending(due, future));
  }

  private void run(String key) {
    synchronized (this) {
      pending.remove(key);
    }
    Optional<Duration> next;
    try {
      next = reconcile.apply(key);
    } catch (RuntimeException e) {
      if (executor.isShutdown()) {
        return;
      }
      LOG.debug("{} {}: {}; retrying in {}", name, key, e.toString(), errorRequeue);
      next = Optional.of(errorRequeue);
    }
    next.ifPresent(delay -> addAfter(key, delay));
  }

  @Override
  public void close() {
    synchronized (this) {
      executor.shutdownNow();
      pending.clear();
    }
    try {
      if (!executor.awaitTermination(10, TimeUnit.SECONDS)) {
        LOG.warn("{} queue did not stop within 10s", name);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
