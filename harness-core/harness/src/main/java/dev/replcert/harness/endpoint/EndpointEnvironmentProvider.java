package dev.replcert.harness.endpoint;

import dev.replcert.harness.config.CertificationConfig;
import dev.replcert.harness.config.Mode;
import dev.replcert.harness.spi.Environment;
import dev.replcert.harness.spi.EnvironmentProvider;

/** Provides the {@code endpoint} mode: needs nothing but the harness itself. */
public final class EndpointEnvironmentProvider implements EnvironmentProvider {

  @Override
  public boolean supports(Mode mode) {
    return mode == Mode.ENDPOINT;
  }

  @Override
  public Environment start(CertificationConfig config) {
    return new EndpointEnvironment(config);
  }
}
