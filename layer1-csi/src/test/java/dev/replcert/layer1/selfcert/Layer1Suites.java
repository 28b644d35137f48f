package dev.replcert.layer1.selfcert;

import dev.replcert.harness.junit.Certification;
import dev.replcert.harness.selfcert.Suites;

/** The layer-1 certification suites as the self-certification runs them. */
final class Layer1Suites {

  /** The lab's sync period in these runs: fast, and what the certification runs use. */
  static final String SYNC_PERIOD = "200ms";

  static final Suites SUITES =
      new Suites("layer 1", "dev.replcert.layer1", Certification.TAG, "layer1-csi-selfcert", SYNC_PERIOD);

  private Layer1Suites() {}
}
