package dev.replcert.harness.workload;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

/** A clock that moves one step per reading, so record timestamps (and RPO seconds) are exact. */
final class StepClock extends Clock {

  static final Instant START = Instant.parse("2030-01-01T00:00:00Z");

  private final Duration step;
  private final AtomicLong readings = new AtomicLong();

  StepClock(Duration step) {
    this.step = step;
  }

  /** The instant of reading {@code n} (0-based): record n's timestamp for a fresh writer. */
  Instant at(long n) {
    return START.plus(step.multipliedBy(n));
  }

  @Override
  public Instant instant() {
    return at(readings.getAndIncrement());
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    throw new UnsupportedOperationException();
  }
}
