package dev.replcert.lab;

import dev.replcert.harness.config.CertificationConfig;
import dev.replcert.harness.config.Mode;
import dev.replcert.harness.spi.Environment;
import dev.replcert.harness.spi.EnvironmentProvider;
import java.util.Optional;
import java.util.function.Function;

/** Provides {@code mode: lab}, the default: the embedded lab with the bundled reference driver. */
public final class LabEnvironmentProvider implements EnvironmentProvider {

  @Override
  public boolean supports(Mode mode) {
    return mode == Mode.LAB;
  }

  @Override
  public Environment start(CertificationConfig config) {
    return start(config, key -> Optional.ofNullable(System.getProperty(key)));
  }

  @Override
  public Environment start(CertificationConfig config, Function<String, Optional<String>> parameters) {
    return new LabEnvironment(config, LabSettings.from(parameters));
  }
}
