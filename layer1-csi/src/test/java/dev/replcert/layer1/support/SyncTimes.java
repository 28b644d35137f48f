package dev.replcert.layer1.support;

import dev.replcert.harness.kube.Waits;
import com.google.protobuf.Timestamp;
import dev.replcert.api.csiaddons.replication.GetVolumeReplicationInfoResponse;
import dev.replcert.api.csiaddons.replication.ReplicationSource;
import dev.replcert.harness.config.TimeoutOperation;
import java.time.Duration;
import java.time.Instant;

/** Waits on GetVolumeReplicationInfo's last_sync_time, the only clock of a sync a test can see. */
public final class SyncTimes {

  private SyncTimes() {}

  /** last_sync_time of a response; null when the driver did not set it. */
  public static Instant lastSync(GetVolumeReplicationInfoResponse info) {
    if (!info.hasLastSyncTime()) {
      return null;
    }
    Timestamp t = info.getLastSyncTime();
    return Instant.ofEpochSecond(t.getSeconds(), t.getNanos());
  }

  /** Waits for the first sync (last_sync_time set) within the first-sync timeout. */
  public static Instant awaitFirstSync(Waits waits, SiteDriver primary, ReplicationSource source) {
    return lastSync(
        waits.until(
            primary.site() + ": GetVolumeReplicationInfo of " + SiteDriver.describe(source)
                + " reports a last_sync_time (the first sync reached the peer)",
            TimeoutOperation.FIRST_SYNC,
            () -> primary.mustGetInfo(source),
            info -> info.hasLastSyncTime()));
  }

  /**
   * Waits until last_sync_time is later than {@code after} and checks that this sync's point in
   * time is at most {@code within} (plus one poll) after it; returns it. The bound is judged on the driver's own
   * last_sync_time, not on when a poll happened to see it: on a busy machine one
   * GetVolumeReplicationInfo can take longer than a lab interval, so the wait itself runs one RPC
   * timeout longer than the bound.
   */
  public static Instant awaitSyncAfter(
      Waits waits, SiteDriver primary, ReplicationSource source, Instant after, Duration within) {
    String what =
        primary.site() + ": last_sync_time of " + SiteDriver.describe(source) + " later than " + after;
    Instant synced =
        lastSync(
            waits.until(
                what + " (within " + within + ")",
                within.plus(waits.timeout(TimeoutOperation.RPC)),
                () -> primary.mustGetInfo(source),
                info -> info.hasLastSyncTime() && lastSync(info).isAfter(after)));
    // one poll of slack, as ReplicationFixture's bounds allow: a sync taken a few milliseconds
    // after the bound on a loaded machine is scheduling noise, not a late driver
    if (synced.isAfter(after.plus(within).plus(waits.timeout(TimeoutOperation.POLL)))) {
      throw new AssertionError(
          what + " within " + within + ": the first such sync is at " + synced + ", "
              + Duration.between(after, synced) + " after it");
    }
    return synced;
  }
}
