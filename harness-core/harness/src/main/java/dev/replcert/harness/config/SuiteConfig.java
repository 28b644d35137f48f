package dev.replcert.harness.config;

/** Knobs of the suites themselves; {@code idempotentCount} as in csi-sanity. */
public record SuiteConfig(Integer idempotentCount) {

  public static final int DEFAULT_IDEMPOTENT_COUNT = 5;
  public static final int MAX_IDEMPOTENT_COUNT = 100;

  public SuiteConfig {
    idempotentCount = idempotentCount == null ? DEFAULT_IDEMPOTENT_COUNT : idempotentCount;
  }
}
