package dev.replcert.refdriver.replication;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/** What this site knows about a unit's replication in this run (not persisted). */
final class UnitState {

  /** Last sync attempt; null before the first in this run. */
  volatile Outcome last;

  /** Phases of the last shipped sync ({@link SyncPhases}); empty before the first. */
  volatile Map<String, Duration> phases = Map.of();

  /** Syncs acknowledged in this run (REPLICATION_STOPS_SILENTLY counts them). */
  volatile int shipped;

  /** A sync was requested while one was running: run again right after. */
  final AtomicBoolean rerun = new AtomicBoolean();

  void record(Outcome outcome) {
    last = outcome;
    if (outcome.shipped()) {
      shipped++;
    }
  }
}
