package dev.replcert.refdriver.storage;

import java.time.Instant;
import java.util.Objects;

/**
 * A consistent point of a replicated volume: the {@code seq}-th sync shipped by the primary that
 * started epoch {@code epoch}, frozen at {@code snapshotTime}. A delta goes from one point to the
 * next; a secondary only applies a delta whose base is exactly its current point, which is how
 * split-brain (two lines of history) is detected.
 */
public record SyncPoint(long epoch, long seq, Instant snapshotTime) {

  public SyncPoint {
    Objects.requireNonNull(snapshotTime, "snapshotTime");
  }

  /** Same epoch and seq; the time is informative only. */
  public boolean sameAs(SyncPoint other) {
    return other != null && epoch == other.epoch && seq == other.seq;
  }

  @Override
  public String toString() {
    return "(epoch " + epoch + ", sync " + seq + " at " + snapshotTime + ")";
  }
}
