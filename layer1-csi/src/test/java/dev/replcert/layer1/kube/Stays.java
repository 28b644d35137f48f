package dev.replcert.layer1.kube;

import java.time.Duration;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.awaitility.Awaitility;

/**
 * The opposite of a wait: something must keep holding for a whole window (a claim stays protected,
 * a VR never completes). Polled; the first observation that breaks it fails at once, printed.
 */
public final class Stays {

  private Stays() {}

  public static <T> void assertHolds(
      String what, Duration window, Duration poll, Supplier<T> observe, Predicate<T> ok) {
    Awaitility.await(what)
        .during(window)
        .atMost(window.multipliedBy(2).plus(poll.multipliedBy(5)))
        .pollInterval(poll)
        .until(() -> {
          T seen = observe.get();
          if (!ok.test(seen)) {
            throw new AssertionError(what + " for " + window + ", but saw: " + seen);
          }
          return true;
        });
  }
}
