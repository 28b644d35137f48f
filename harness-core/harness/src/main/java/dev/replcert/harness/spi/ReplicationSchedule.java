package dev.replcert.harness.spi;

import java.time.Duration;

/**
 * How often the driver under test actually ships a sync. On real targets this is the
 * VolumeReplicationClass's {@code schedulingInterval} from cert.yaml; the lab runs its driver
 * faster than the interval it declares (Ramen requires minutes; a lab run takes about a minute),
 * and says so through this client. Status checks such as "last_sync_time advances within twice
 * the interval" use it.
 */
public record ReplicationSchedule(Duration interval) {}
