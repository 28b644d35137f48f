package dev.replcert.lab.substrate.ocm;

import java.time.Duration;
import java.util.Collection;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A level-triggered work queue on one named daemon thread: keys are reconciled one at a time, a
 * key queued twice before it runs runs once, and every key {@code keys} lists is queued again each
 * {@code resync} period, so a failed or missed reconcile is retried by the next period. Nothing is
 * remembered between reconciles: a reconcile reads what it needs, which makes a restart harmless.
 */
final class ReconcileLoop implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ReconcileLoop.class);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

  private final String name;
  private final Duration resync;
  private final Supplier<? extends Collection<String>> keys;
  private final Consumer<String> reconcile;
  private final Set<String> pending = ConcurrentHashMap.newKeySet();
  private final ScheduledExecutorService executor;

  ReconcileLoop(
      String name,
      Duration resync,
      Supplier<? extends Collection<String>> keys,
      Consumer<String> reconcile) {
    this.name = name;
    this.resync = resync;
    this.keys = keys;
    this.reconcile = reconcile;
    this.executor =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread thread = new Thread(r, name);
              thread.setDaemon(true);
              return thread;
            });
  }

  void start() {
    executor.scheduleWithFixedDelay(
        this::resyncAll, 0, resync.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Queues one key (from an informer's event, or after a change this loop made itself). */
  void enqueue(String key) {
    if (pending.add(key)) {
      try {
        executor.execute(() -> run(key));
      } catch (RejectedExecutionException e) {
        pending.remove(key); // closed
      }
    }
  }

  private void resyncAll() {
    try {
      keys.get().forEach(this::enqueue);
    } catch (RuntimeException e) {
      LOG.debug("{}: cannot list keys: {}", name, e.toString());
    }
  }

  private void run(String key) {
    pending.remove(key);
    try {
      reconcile.accept(key);
    } catch (RuntimeException e) {
      // level-triggered: the next resync tries again
      LOG.debug("{}: reconcile of {} failed, retried in {}: {}", name, key, resync, e.toString());
    }
  }

  @Override
  public void close() {
    executor.shutdownNow();
    try {
      if (!executor.awaitTermination(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        LOG.warn("{} did not stop within {}", name, STOP_TIMEOUT);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
