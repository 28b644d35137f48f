package dev.replcert.lab.substrate.ocm;

import java.time.Duration;
import java.util.Objects;

/**
 * How fast the lab's OCM stand-ins run. Real OCM counts in tens of seconds (lease 60 s, unknown
 * after 5 leases, views every 30 s, status feedback every 30 s); the lab scales all of it down so a
 * certification run takes about a minute.
 *
 * @param heartbeat how often a managed cluster's agent renews its lease on the hub (OCM: {@code
 *     leaseDurationSeconds}); it renews only while its cluster's API server answers
 * @param leaseGrace how long the hub waits after the last renewal before it says the cluster's
 *     availability is Unknown (OCM: 5 lease durations)
 * @param resync how often every ManifestWork and ManagedClusterView is reconciled again even when
 *     nothing on the hub changed: status feedback, availability and views follow the managed
 *     cluster at this period (OCM: the status sync interval and a view's {@code
 *     updateIntervalSeconds}, both read as lab time)
 */
public record OcmTiming(Duration heartbeat, Duration leaseGrace, Duration resync) {

  public OcmTiming {
    positive("heartbeat", heartbeat);
    positive("leaseGrace", leaseGrace);
    positive("resync", resync);
    if (leaseGrace.compareTo(heartbeat) <= 0) {
      throw new IllegalArgumentException(
          "leaseGrace (" + leaseGrace + ") must be longer than heartbeat (" + heartbeat + ")");
    }
  }

  /**
   * The lab's default: heartbeat 1 s, Unknown after 3 missed heartbeats (3 s), resync 2 s. Informer
   * events drive the agents; the resync only retries what failed. Faster values cost an idle lab a
   * fifth of a core in lease traffic, which the self-certification's parallel labs cannot spare.
   */
  public static OcmTiming lab() {
    Duration heartbeat = Duration.ofSeconds(1);
    return new OcmTiming(heartbeat, heartbeat.multipliedBy(3), Duration.ofSeconds(2));
  }

  private static void positive(String name, Duration value) {
    Objects.requireNonNull(value, name);
    if (value.isZero() || value.isNegative()) {
      throw new IllegalArgumentException(name + " must be positive, was " + value);
    }
  }
}
