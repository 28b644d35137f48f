package dev.replcert.layer1.support;

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

  /** Waits until last_sync_time is later than {@code after}; returns it. */
  public static Instant awaitSyncAfter(
      Waits waits, SiteDriver primary, ReplicationSource source, Instant after, Duration within) {
    return lastSync(
        waits.until(
            primary.site() + ": last_sync_time of " + SiteDriver.describe(source) + " later than "
                + after + " (within " + within + ")",
            within,
            () -> primary.mustGetInfo(source),
            info -> info.hasLastSyncTime() && lastSync(info).isAfter(after)));
  }
}
