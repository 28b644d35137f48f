package dev.replcert.refdriver.replication;

import java.util.concurrent.atomic.AtomicBoolean;

/** What this site knows about a unit's replication in this run (not persisted). */
final class UnitState {

  /** Last sync attempt; null before the first in this run. */
  volatile Outcome last;

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
