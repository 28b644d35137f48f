package dev.replcert.refdriver.replication;

import dev.replcert.refdriver.link.proto.VolumeState;
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

  /**
   * The peer's volumes as its acknowledgement of the last sync described them, for the next sync to
   * start from without asking again; null when that sync failed or a sync already used it.
   */
  volatile Map<String, VolumeState> peerAfterAck;

  /** A sync was requested while one was running: run again right after. */
  final AtomicBoolean rerun = new AtomicBoolean();

  void record(Outcome outcome) {
    last = outcome;
    if (outcome.shipped()) {
      shipped++;
    }
  }
}
