package dev.replcert.refdriver.site;

import java.time.Duration;
import java.time.Instant;

/**
 * What GetVolumeReplicationInfo reports.
 *
 * @param lastSyncTime point in time of the last sync applied on the peer (null before the first)
 * @param lastSyncDuration how long that sync took
 * @param lastSyncBytes bytes it shipped
 * @param health HEALTHY, DEGRADED or ERROR
 * @param message why, in a sentence
 */
public record ReplicationStatus(
    Instant lastSyncTime, Duration lastSyncDuration, long lastSyncBytes, Health health, String message) {

  public enum Health {
    HEALTHY,
    DEGRADED,
    ERROR
  }
}
