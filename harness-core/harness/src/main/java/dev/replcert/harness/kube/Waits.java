package dev.replcert.harness.kube;

import dev.replcert.harness.config.TimeoutOperation;
import dev.replcert.harness.config.TimeoutProfile;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * Named waits: a condition, a timeout from the timeout profile, and on timeout an error that says
 * what was awaited, for how long, and what was seen last. No test sleeps.
 */
public final class Waits {

  private final TimeoutProfile timeouts;

  public Waits(TimeoutProfile timeouts) {
    this.timeouts = timeouts;
  }

  /**
   * Polls {@code observe} until {@code done} accepts what it returns; returns that observation.
   * An exception from {@code observe} counts as "not yet" and is what the timeout reports.
   */
  public <T> T until(
      String condition, TimeoutOperation limit, Supplier<T> observe, Predicate<T> done) {
    return until(condition, timeouts.of(limit), observe, done);
  }

  public <T> T until(String condition, Duration timeout, Supplier<T> observe, Predicate<T> done) {
    AtomicReference<Object> last = new AtomicReference<>("nothing observed yet");
    AtomicReference<T> accepted = new AtomicReference<>();
    try {
      Awaitility.await(condition)
          .atMost(timeout)
          .pollDelay(Duration.ZERO)
          .pollInterval(poll(timeout))
          .until(
              () -> {
                try {
                  T seen = observe.get();
                  last.set(seen);
                  if (done.test(seen)) {
                    accepted.set(seen);
                    return true;
                  }
                  return false;
                } catch (RuntimeException e) {
                  last.set(e);
                  return false;
                }
              });
      return accepted.get();
    } catch (ConditionTimeoutException e) {
      throw new AssertionError(
          "timed out after " + timeout + " waiting until " + condition + "; last seen: " + last.get());
    }
  }

  /** A timeout of the profile, for waits that extend or bound one. */
  public Duration timeout(TimeoutOperation operation) {
    return timeouts.of(operation);
  }

  /** The profile's poll interval, but at least ten polls within the timeout. */
  private Duration poll(Duration timeout) {
    Duration poll = timeouts.of(TimeoutOperation.POLL);
    Duration tenth = timeout.dividedBy(10);
    return poll.compareTo(tenth) > 0 ? tenth : poll;
  }
}
