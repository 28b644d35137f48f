package dev.replcert.harness.config;

import java.time.Duration;
import java.util.Map;

/**
 * What goes into the VolumeReplicationClass (or the EnableVolumeReplication call in endpoint mode):
 * the scheduling interval, as Ramen's DRPolicy writes it, and driver parameters, passed through
 * untouched.
 */
public record ReplicationSettings(Duration schedulingInterval, Map<String, String> parameters) {

  public static final Duration DEFAULT_SCHEDULING_INTERVAL = Duration.ofMinutes(1);

  public ReplicationSettings {
    schedulingInterval =
        schedulingInterval == null ? DEFAULT_SCHEDULING_INTERVAL : schedulingInterval;
    parameters = Copies.map(parameters);
  }
}
