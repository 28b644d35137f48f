package dev.replcert.harness.junit;

import dev.replcert.harness.config.CertificationConfig;
import dev.replcert.harness.spi.Environment;
import dev.replcert.harness.spi.EnvironmentProvider;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.ServiceLoader;
import java.util.stream.Collectors;

/** Finds the one {@link EnvironmentProvider} for the configured mode and starts it. */
final class EnvironmentResolver {

  private EnvironmentResolver() {}

  static Environment start(
      CertificationConfig config, Function<String, Optional<String>> parameters) {
    ClassLoader loader = Thread.currentThread().getContextClassLoader();
    List<EnvironmentProvider> all =
        ServiceLoader.load(EnvironmentProvider.class, loader).stream()
            .map(ServiceLoader.Provider::get)
            .toList();
    List<EnvironmentProvider> matching =
        all.stream().filter(p -> p.supports(config.mode())).toList();
    if (matching.isEmpty()) {
      throw new EnvironmentUnavailableException(
          "no replcert environment supports mode '"
              + config.mode().id()
              + "' on this classpath (providers found: "
              + names(all)
              + "). "
              + hint(config));
    }
    if (matching.size() > 1) {
      throw new EnvironmentUnavailableException(
          "more than one replcert environment supports mode '"
              + config.mode().id()
              + "': "
              + names(matching)
              + "; keep one on the test classpath");
    }
    return matching.get(0).start(config, parameters);
  }

  private static String hint(CertificationConfig config) {
    return switch (config.mode()) {
      case LAB -> "The lab mode needs dev.replcert:replcert-lab on the test classpath.";
      default ->
          "Mode '"
              + config.mode().id()
              + "' needs its environment module on the test classpath; see README, 'Running"
              + " against real clusters'.";
    };
  }

  private static String names(List<EnvironmentProvider> providers) {
    return providers.isEmpty()
        ? "none"
        : providers.stream().map(p -> p.getClass().getName()).collect(Collectors.joining(", "));
  }
}
