package dev.replcert.lab.substrate;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The work queue of one level-triggered controller, with client-go's semantics: it holds keys, not
 * events, so a key queued again while it waits is reconciled once, at the earliest of its due
 * times; one named daemon thread runs every reconcile, so the reconciles of one controller never
 * race each other; a failed reconcile is tried again as the {@link RetryPolicy} says (exponential
 * backoff unless told otherwise), and a success starts the backoff of its key again. With {@link
 * Builder#resync} every key a supplier lists is queued again each period (an informer's resync:
 * the net under missed events and, with {@link RetryPolicy#nextResync()}, the only retry).
 *
 * <pre>{@code
 * WorkQueue queue = WorkQueue.builder("lab-kubelet-east", this::reconcile).build();
 * informer handler: queue.add(namespace + "/" + name);
 * }</pre>
 */
public final class WorkQueue implements AutoCloseable {

  /** Reconciles one key from current state; answers when to look again (empty: on the next add). */
  @FunctionalInterface
  public interface Reconciler {
    Optional<Duration> reconcile(String key) throws Exception;

    /** A reconcile that never asks to look again by itself. */
    static Reconciler withoutRequeue(Consumer<String> reconcile) {
      return key -> {
        reconcile.accept(key);
        return Optional.empty();
      };
    }
  }

  /** The lab's default retry: 50 ms, doubled per failure up to 2 s. */
  public static final RetryPolicy DEFAULT_RETRY =
      RetryPolicy.exponential(Duration.ofMillis(50), Duration.ofSeconds(2));

  private static final Logger LOG = LoggerFactory.getLogger(WorkQueue.class);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

  private final String name;
  private final Reconciler reconciler;
  private final RetryPolicy retry;
  private final Duration resyncPeriod;
  private final Supplier<? extends Collection<String>> resyncKeys;
  private final ScheduledExecutorService executor;

  /** The one scheduled run of each waiting key, with its due time; guarded by {@code this}. */
  private final Map<String, Pending> pending = new HashMap<>();

  /** Failures in a row per key; touched only by the queue's thread. */
  private final Map<String, Integer> failures = new HashMap<>();

  private record Pending(long dueNanos, ScheduledFuture<?> run) {}

  private WorkQueue(Builder b) {
    this.name = b.name;
    this.reconciler = b.reconciler;
    this.retry = b.retry;
    this.resyncPeriod = b.resyncPeriod;
    this.resyncKeys = b.resyncKeys;
    this.executor =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, b.name);
              t.setDaemon(true);
              return t;
            });
  }

  /** A queue whose thread is called {@code name} (thread dumps and logs show it). */
  public static Builder builder(String name, Reconciler reconciler) {
    return new Builder(name, reconciler);
  }

  /** Starts the periodic resync, if there is one (its first round runs at once). */
  public WorkQueue start() {
    if (resyncKeys != null) {
      try {
        executor.scheduleWithFixedDelay(
            this::resyncAll, 0, resyncPeriod.toNanos(), TimeUnit.NANOSECONDS);
      } catch (RejectedExecutionException e) {
        // closed before it started
      }
    }
    return this;
  }

  /** Reconcile {@code key} as soon as the thread is free. */
  public void add(String key) {
    addAfter(key, Duration.ZERO);
  }

  /**
   * Reconcile {@code key} after {@code delay}; if it already waits, it runs once, at the earlier of
   * the two times. Ignored once the queue is closed.
   */
  public synchronized void addAfter(String key, Duration delay) {
    if (key == null || executor.isShutdown()) {
      return;
    }
    long due = System.nanoTime() + delay.toNanos();
    Pending waiting = pending.get(key);
    if (waiting != null) {
      if (waiting.dueNanos() - due <= 0) {
        return;
      }
      waiting.run().cancel(false);
    }
    try {
      ScheduledFuture<?> run =
          executor.schedule(() -> run(key), delay.toNanos(), TimeUnit.NANOSECONDS);
      pending.put(key, new Pending(due, run));
    } catch (RejectedExecutionException e) {
      pending.remove(key); // closing
    }
  }

  private void run(String key) {
    synchronized (this) {
      pending.remove(key);
    }
    Optional<Duration> next;
    try {
      next = reconciler.reconcile(key);
      failures.remove(key);
    } catch (Exception e) {
      if (executor.isShutdown()) {
        return; // the controller is stopping: its clients fail, nothing to retry
      }
      int failed = failures.merge(key, 1, Integer::sum);
      next = retry.after(failed);
      LOG.debug(
          "{}: reconcile of {} failed ({} in a row), again {}: {}",
          name,
          key,
          failed,
          next.map(d -> "in " + d).orElse("at the next resync"),
          e.toString());
    }
    next.ifPresent(delay -> addAfter(key, delay));
  }

  private void resyncAll() {
    Collection<String> keys;
    try {
      keys = resyncKeys.get();
    } catch (RuntimeException e) {
      LOG.debug("{}: cannot list keys to resync: {}", name, e.toString());
      return;
    }
    keys.forEach(this::add);
  }

  /** Stops the thread (waiting for a running reconcile to end) and drops every waiting key. */
  @Override
  public void close() {
    synchronized (this) {
      executor.shutdownNow();
      pending.clear();
    }
    try {
      if (!executor.awaitTermination(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        LOG.warn("{} did not stop within {}", name, STOP_TIMEOUT);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** How a {@link WorkQueue} retries and resyncs. */
  public static final class Builder {
    private final String name;
    private final Reconciler reconciler;
    private RetryPolicy retry = DEFAULT_RETRY;
    private Duration resyncPeriod;
    private Supplier<? extends Collection<String>> resyncKeys;

    private Builder(String name, Reconciler reconciler) {
      this.name = Objects.requireNonNull(name, "name");
      this.reconciler = Objects.requireNonNull(reconciler, "reconciler");
    }

    /** How failed reconciles are tried again ({@link #DEFAULT_RETRY} unless set). */
    public Builder retry(RetryPolicy retry) {
      this.retry = Objects.requireNonNull(retry, "retry");
      return this;
    }

    /** Every {@code period} after {@link #start()}, queue each key {@code keys} lists. */
    public Builder resync(Duration period, Supplier<? extends Collection<String>> keys) {
      if (period.isZero() || period.isNegative()) {
        throw new IllegalArgumentException("resync period must be positive, was " + period);
      }
      this.resyncPeriod = period;
      this.resyncKeys = Objects.requireNonNull(keys, "keys");
      return this;
    }

    public WorkQueue build() {
      return new WorkQueue(this);
    }
  }
}
