package dev.replcert.lab.substrate;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * When a {@link WorkQueue} tries a key again after its reconcile failed, given how many reconciles
 * of it failed in a row (1 for the first failure; a success starts the count again).
 */
@FunctionalInterface
public interface RetryPolicy {

  /** The delay before the next try; empty: not before something queues the key again. */
  Optional<Duration> after(int failures);

  /**
   * {@code first}, doubled at every further failure up to {@code cap} (client-go's per-item
   * exponential rate limiter, controller-runtime's default, which starts at 5 ms and stops at 1000
   * s).
   */
  static RetryPolicy exponential(Duration first, Duration cap) {
    Objects.requireNonNull(first, "first");
    Objects.requireNonNull(cap, "cap");
    if (first.isNegative() || first.isZero() || cap.compareTo(first) < 0) {
      throw new IllegalArgumentException("need 0 < first <= cap, got " + first + ", " + cap);
    }
    return failures -> {
      Duration delay = first;
      for (int i = 1; i < failures && delay.compareTo(cap) < 0; i++) {
        delay = delay.multipliedBy(2);
      }
      return Optional.of(delay.compareTo(cap) > 0 ? cap : delay);
    };
  }

  /** The same delay after every failure. */
  static RetryPolicy fixed(Duration delay) {
    Objects.requireNonNull(delay, "delay");
    return failures -> Optional.of(delay);
  }

  /** No retry of its own: the queue's periodic resync (or the next event) tries again. */
  static RetryPolicy nextResync() {
    return failures -> Optional.empty();
  }
}
