package dev.replcert.harness.spi;

import dev.replcert.harness.config.CertificationConfig;
import dev.replcert.harness.config.Mode;

/**
 * Service-provider interface (java.util.ServiceLoader) that builds the {@link Environment} for a
 * mode. The lab module provides one for {@code lab}; exactly one provider must support the
 * configured mode.
 */
public interface EnvironmentProvider {

  /** Whether this provider can build an environment for the mode. */
  boolean supports(Mode mode);

  /**
   * Starts the environment. Must either return a started environment or throw after releasing
   * whatever it had started; the message must say what could not be reached and where.
   */
  Environment start(CertificationConfig config);

  /**
   * Starts the environment with the run's JUnit configuration parameters at hand (which fall back
   * to system properties): switches of an environment that are not part of cert.yaml, such as the
   * lab's defect injection for the harness's own tests.
   */
  default Environment start(
      CertificationConfig config, java.util.function.Function<String, java.util.Optional<String>> parameters) {
    return start(config);
  }
}
