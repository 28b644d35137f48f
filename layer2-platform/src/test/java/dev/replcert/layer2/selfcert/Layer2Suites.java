package dev.replcert.layer2.selfcert;

import dev.replcert.harness.config.TimeoutOperation;
import dev.replcert.harness.selfcert.Suites;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** The layer-2 certification suites as the self-certification runs them. */
final class Layer2Suites {

  /**
   * Certification tests, not the fixtures' self-tests (tagged both), as {@code -Pcert} selects
   * them; the lab's own sync period (1 s), which the suites' waits are written for.
   */
  static final Suites SUITES =
      new Suites("layer 2", "dev.replcert.layer2", "certification & !fixture", "layer2-platform-selfcert", null);

  /**
   * Limits of the defect runs, as cert.yaml overrides: a DR action the lab finishes in 2-6 s gets
   * 30 s instead of the lab profile's 60 s, so a defect that stalls one costs half a minute. The
   * verifier keeps its 60 s (it reads the whole volume).
   */
  static final Map<String, String> DEFECT_TIMEOUTS =
      List.of(
              TimeoutOperation.FAILOVER,
              TimeoutOperation.RELOCATE,
              TimeoutOperation.RESYNC,
              TimeoutOperation.FIRST_SYNC,
              TimeoutOperation.SITE_UP)
          .stream()
          .collect(Collectors.toUnmodifiableMap(op -> "cert.timeouts.overrides." + op.id(), op -> "30s"));

  private Layer2Suites() {}
}
