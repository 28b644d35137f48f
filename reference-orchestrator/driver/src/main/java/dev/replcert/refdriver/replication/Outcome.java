package dev.replcert.refdriver.replication;

import java.time.Instant;

/** How a sync attempt of a unit ended; the status report is derived from the last one. */
public record Outcome(Kind kind, String message, Instant at) {

  public enum Kind {
    /** The peer applied the delta. */
    SHIPPED,
    UNREACHABLE,
    /** The peer is primary at an epoch not below ours, or has newer history. */
    SPLIT_BRAIN,
    /** The peer is primary at an older epoch: it must be demoted and resynced. */
    PEER_PRIMARY_OLDER,
    /** The peer's replica diverged (demoted without final sync) and waits for a resync. */
    PEER_NEEDS_RESYNC,
    /** The peer has the volume but does not replicate it. */
    PEER_NOT_REPLICATING,
    /** The peer refused the delta (checksum, base, busy...). */
    REJECTED,
    /** The sync did not finish before its deadline. */
    DEADLINE,
    FAILED
  }

  static Outcome of(Kind kind, String message) {
    return new Outcome(kind, message, Instant.now());
  }

  public boolean shipped() {
    return kind == Kind.SHIPPED;
  }
}
