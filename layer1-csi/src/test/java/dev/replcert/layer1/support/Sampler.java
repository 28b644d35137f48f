package dev.replcert.layer1.support;

import dev.replcert.harness.kube.Waits;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * Paced observation of a driver: what a status check does when the plan says "sample every
 * interval/4 for 5 intervals" or "call ResyncVolume every interval/2 until ready". Unlike {@link
 * Waits}, an exception from an observation is not "not yet": it ends the sampling at once and
 * propagates, because these checks assert that the call never fails. Pacing is Awaitility's; no
 * test sleeps.
 */
public final class Sampler {

  /** One observation and when it was made (the call's start and end, on the harness's clock). */
  public record Sample<T>(Instant before, Instant after, T value) {}

  /** Extra time Awaitility may take beyond the sampling period (slow calls, a late last poll). */
  private final Duration callLimit;

  /** @param callLimit the longest one observation may take (the profile's rpc timeout) */
  public Sampler(Duration callLimit) {
    this.callLimit = callLimit;
  }

  /** Observes every {@code every} for {@code during}; returns every sample, in order. */
  public <T> List<Sample<T>> sample(
      String what, Duration every, Duration during, Supplier<T> observe) {
    List<Sample<T>> samples = new ArrayList<>();
    Instant end = Instant.now().plus(during);
    run(what, every, during, () -> {
      samples.add(observe(observe));
      return !Instant.now().isBefore(end);
    }, () -> samples.isEmpty() ? "nothing" : samples.get(samples.size() - 1).toString());
    return samples;
  }

  /**
   * Observes every {@code every} until {@code done} accepts an observation, and returns that
   * sample; fails after {@code limit} naming the condition and the last observation.
   */
  public <T> Sample<T> until(
      String condition, Duration every, Duration limit, Supplier<T> observe, Predicate<T> done) {
    return until(condition, every, limit, observe, done, String::valueOf);
  }

  /** {@link #until} with the last observation described by {@code describe} on timeout. */
  public <T> Sample<T> until(
      String condition,
      Duration every,
      Duration limit,
      Supplier<T> observe,
      Predicate<T> done,
      Function<T, String> describe) {
    AtomicReference<Sample<T>> last = new AtomicReference<>();
    Instant end = Instant.now().plus(limit);
    run(condition, every, limit, () -> {
      Sample<T> sample = observe(observe);
      last.set(sample);
      if (done.test(sample.value())) {
        return true;
      }
      if (Instant.now().isAfter(end)) {
        throw new AssertionError(
            "timed out after " + limit + " waiting until " + condition + "; last seen: "
                + describe.apply(sample.value()));
      }
      return false;
    }, () -> String.valueOf(last.get()));
    return last.get();
  }

  private static <T> Sample<T> observe(Supplier<T> observe) {
    Instant before = Instant.now();
    T value = observe.get();
    return new Sample<>(before, Instant.now(), value);
  }

  /** Polls {@code step} in this thread until it returns true; its failures propagate as they are. */
  private void run(
      String what, Duration every, Duration period, java.util.concurrent.Callable<Boolean> step,
      Supplier<String> last) {
    AtomicReference<Throwable> failure = new AtomicReference<>();
    try {
      Awaitility.await(what)
          .atMost(period.plus(every).plus(callLimit))
          .pollInSameThread()
          .pollDelay(Duration.ZERO)
          .pollInterval(every)
          .until(
              () -> {
                try {
                  return step.call();
                } catch (Exception | AssertionError e) {
                  failure.set(e);
                  return true;
                }
              });
    } catch (ConditionTimeoutException e) {
      throw new AssertionError(
          "observing '" + what + "' took longer than " + period + " plus one slow call ("
              + callLimit + "); last seen: " + last.get());
    }
    Throwable failed = failure.get();
    if (failed instanceof RuntimeException runtime) {
      throw runtime;
    }
    if (failed instanceof Error error) {
      throw error;
    }
    if (failed != null) {
      throw new IllegalStateException(failed);
    }
  }
}
