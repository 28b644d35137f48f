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
}
