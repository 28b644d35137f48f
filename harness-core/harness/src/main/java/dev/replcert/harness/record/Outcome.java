package dev.replcert.harness.record;

/** What happened to one certification test. Only {@link #PASSED} counts as verified. */
public enum Outcome {
  PASSED,
  FAILED,
  /** Not run: a capability the driver does not claim, or an environment gap; carries a reason. */
  SKIPPED,
  /** Started but gave up on an assumption; carries a reason. Never counted as passed. */
  ABORTED
}
