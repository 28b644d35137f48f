package dev.replcert.lab.substrate.csiaddons;

import java.time.Duration;
import java.util.Objects;

/**
 * Every requeue interval of the csi-addons controller in one place, so the lab runs the real state
 * machine at lab speed. {@link #real()} holds kubernetes-csi-addons' values
 * (volumereplication_controller.go); {@link #lab()} scales them so a certification runs in about a
 * minute.
 *
 * @param demoteRequeue after the first DemoteVolume of a secondary (real 15s, lab 200ms)
 * @param resyncRequeue while ResyncVolume answers ready=false (real 30s, lab 300ms)
 * @param errorRequeue after a failed reconcile (real: controller-runtime's exponential backoff from
 *     5ms up to 1000s; the lab retries at a fixed 250ms)
 * @param infoPollCap upper bound of the GetVolumeReplicationInfo polling of a primary; {@code null}
 *     for the real rule (schedulingInterval/2 when the interval is 2m or more, the interval itself
 *     under 2m, 1h when unset). The lab polls at min(interval/2, cap), cap 1s.
 */
public record ControllerTiming(
    Duration demoteRequeue, Duration resyncRequeue, Duration errorRequeue, Duration infoPollCap) {

  /** Real csi-addons: no VRC interval → 1h. */
  static final Duration UNSET_INTERVAL_POLL = Duration.ofHours(1);

  static final Duration HALF_INTERVAL_FROM = Duration.ofMinutes(2);

  public ControllerTiming {
    Objects.requireNonNull(demoteRequeue, "demoteRequeue");
    Objects.requireNonNull(resyncRequeue, "resyncRequeue");
    Objects.requireNonNull(errorRequeue, "errorRequeue");
  }

  /** kubernetes-csi-addons' own intervals (errors retried after 1s instead of a backoff). */
  public static ControllerTiming real() {
    return new ControllerTiming(
        Duration.ofSeconds(15), Duration.ofSeconds(30), Duration.ofSeconds(1), null);
  }

  /** The lab's: demote 200ms, resync 300ms, errors 250ms, info polling at most every 1s. */
  public static ControllerTiming lab() {
    return new ControllerTiming(
        Duration.ofMillis(200),
        Duration.ofMillis(300),
        Duration.ofMillis(250),
        Duration.ofSeconds(1));
  }

  /**
   * How long a primary waits between two GetVolumeReplicationInfo calls, for the VRC's {@code
   * schedulingInterval} (null when unset).
   */
  public Duration infoPoll(Duration schedulingInterval) {
    if (infoPollCap == null) {
      if (schedulingInterval == null || schedulingInterval.isZero()) {
        return UNSET_INTERVAL_POLL;
      }
      return schedulingInterval.compareTo(HALF_INTERVAL_FROM) < 0
          ? schedulingInterval
          : schedulingInterval.dividedBy(2);
    }
    if (schedulingInterval == null || schedulingInterval.isZero()) {
      return infoPollCap;
    }
    Duration half = schedulingInterval.dividedBy(2);
    return half.compareTo(infoPollCap) < 0 ? half : infoPollCap;
  }
}
