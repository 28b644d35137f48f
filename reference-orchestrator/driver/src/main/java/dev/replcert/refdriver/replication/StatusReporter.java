package dev.replcert.refdriver.replication;

import dev.replcert.refdriver.Defect;
import dev.replcert.refdriver.DriverOptions;
import dev.replcert.refdriver.link.PeerLink;
import dev.replcert.refdriver.site.ReplicationStatus;
import dev.replcert.refdriver.site.ReplicationStatus.Health;
import dev.replcert.refdriver.storage.VolumeMeta;
import java.time.Duration;
import java.time.Instant;

/**
 * Turns what the primary knows into GetVolumeReplicationInfo's answer: last_sync_time is the
 * point in time of the last sync the peer applied (the freeze instant of the acknowledged delta,
 * inherited across a promote: it is what both sites hold); HEALTHY only while the peer is
 * reachable and the last sync succeeded.
 */
final class StatusReporter {

  private static final Duration SKEW = Duration.ofHours(1);

  private final DriverOptions options;
  private final PeerLink link;

  StatusReporter(DriverOptions options, PeerLink link) {
    this.options = options;
    this.link = link;
  }

  /** @param meta a primary member (all members of a group carry the same sync history) */
  ReplicationStatus report(VolumeMeta meta, UnitState state, boolean paused) {
    Instant lastSync = meta.syncPoint == null ? null : meta.syncPoint.snapshotTime();
    Outcome last = state.last;
    Health health;
    String message;
    if (last != null && last.kind() == Outcome.Kind.SPLIT_BRAIN) {
      health = Health.ERROR;
      message = last.message();
    } else if (!link.reachable() || (last != null && last.kind() == Outcome.Kind.UNREACHABLE)) {
      if (options.has(Defect.HEALTHY_WHEN_PEER_DOWN)) {
        health = Health.HEALTHY;
        message = "replicating to the peer site";
      } else {
        health = Health.DEGRADED;
        String problem = link.problem();
        message = "peer site unreachable" + (problem == null ? "" : ": " + problem);
      }
    } else if (paused) {
      health = Health.DEGRADED;
      message = "replication paused";
    } else if (last == null) {
      health = Health.DEGRADED;
      message = "waiting for the first sync with the peer site";
    } else if (last.shipped()) {
      health = Health.HEALTHY;
      message = "replicating to the peer site; last sync " + last.message();
    } else {
      health = Health.DEGRADED;
      message = last.message();
    }
    return new ReplicationStatus(reportedTime(meta, lastSync), meta.lastSyncDuration, meta.lastSyncBytes, health, message);
  }

  /** The true last sync time, unless a defect bends it. */
  private Instant reportedTime(VolumeMeta meta, Instant lastSync) {
    if (options.has(Defect.LAST_SYNC_TIME_IS_NOW)) {
      return Instant.now();
    }
    if (lastSync == null || options.has(Defect.LAST_SYNC_TIME_MISSING)) {
      return null;
    }
    if (options.has(Defect.LAST_SYNC_TIME_FROZEN) && meta.firstSyncTime != null) {
      return meta.firstSyncTime;
    }
    if (options.has(Defect.LAST_SYNC_TIME_FUTURE)) {
      return lastSync.plus(SKEW);
    }
    if (options.has(Defect.LAST_SYNC_TIME_BACKWARDS) && meta.syncCount % 2 == 0) {
      return lastSync.minus(SKEW);
    }
    return lastSync;
  }
}
