package dev.replcert.orchestrator.vrg;

import java.time.Duration;

/**
 * Timing of the VRG controller.
 *
 * @param retry how soon a VRG that is not settled is looked at again (VR not ready, S3 down, ...)
 * @param resync how often a settled VRG is looked at anyway (Ramen's periodic requeue)
 */
public record VrgOptions(Duration retry, Duration resync) {

  public static VrgOptions defaults() {
    return new VrgOptions(Duration.ofSeconds(5), Duration.ofMinutes(1));
  }
}
