package dev.replcert.harness.grpc;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Every gRPC call of a run to the driver under test, in order. Tests take a {@link #mark()} when
 * they start and attach {@link #since(long)} to their evidence, so each test shows its own calls.
 */
public final class CallLog {

  private final List<CallRecord> calls = new ArrayList<>();
  private long next;

  public synchronized long nextSequence() {
    return next++;
  }

  /** Appends a finished call (the interceptor does this for every call). */
  public synchronized void add(CallRecord call) {
    calls.add(call);
  }

  /** The sequence number the next call will get. */
  public synchronized long mark() {
    return next;
  }

  /** Calls with a sequence number at or after the mark, in order. */
  public synchronized List<CallRecord> since(long mark) {
    return calls.stream().filter(c -> c.sequence() >= mark).toList();
  }

  /** Calls that started at or after the instant, in order. */
  public synchronized List<CallRecord> since(java.time.Instant start) {
    return calls.stream().filter(c -> !c.startedAt().isBefore(start)).toList();
  }

  /** The calls since the mark, one line each. */
  public String render(long mark) {
    return since(mark).stream().map(CallRecord::line).collect(Collectors.joining("\n"));
  }
}
