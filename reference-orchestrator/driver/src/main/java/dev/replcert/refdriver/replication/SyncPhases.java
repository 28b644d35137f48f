package dev.replcert.refdriver.replication;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Wall-clock time spent in each phase of one sync, in the order the phases first ran: where a
 * sync's time goes (the benchmark prints it; the receiver's phases come back in its acknowledgement
 * and are prefixed {@code peer.}). Not thread-safe: one sync, one thread at a time.
 */
public final class SyncPhases {

  private final Map<String, Long> nanos = new LinkedHashMap<>();
  private long mark = System.nanoTime();

  /** Charges the time since the previous lap (or the start) to {@code phase}. */
  public void lap(String phase) {
    long now = System.nanoTime();
    add(phase, now - mark);
    mark = now;
  }

  /** Adds {@code n} nanoseconds to {@code phase} without moving the lap mark. */
  public void add(String phase, long n) {
    nanos.merge(phase, n, Long::sum);
  }

  /** Phase name to nanoseconds. */
  public Map<String, Long> nanos() {
    return Collections.unmodifiableMap(nanos);
  }

  /** Phase name to duration, in order. */
  public Map<String, Duration> durations() {
    Map<String, Duration> out = new LinkedHashMap<>();
    nanos.forEach((phase, n) -> out.put(phase, Duration.ofNanos(n)));
    return Collections.unmodifiableMap(out);
  }
}
