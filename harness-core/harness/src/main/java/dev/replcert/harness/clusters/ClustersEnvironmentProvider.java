package dev.replcert.harness.clusters;

import dev.replcert.harness.config.CertificationConfig;
import dev.replcert.harness.config.Mode;
import dev.replcert.harness.junit.EnvironmentUnavailableException;
import dev.replcert.harness.spi.Environment;
import dev.replcert.harness.spi.EnvironmentProvider;
import dev.replcert.harness.spi.OrchestratorLauncher;
import java.util.List;
import java.util.ServiceLoader;
import java.util.stream.Collectors;

/** Provides {@code mode: clusters}: the vendor's clusters, from kubeconfig contexts. */
public final class ClustersEnvironmentProvider implements EnvironmentProvider {

  @Override
  public boolean supports(Mode mode) {
    return mode == Mode.CLUSTERS;
  }

  @Override
  public Environment start(CertificationConfig config) {
    return new ClustersEnvironment(config, ClustersEnvironmentProvider::launcher);
  }

  /** The one {@link OrchestratorLauncher} on the class path, or an error saying what to add. */
  static OrchestratorLauncher launcher() {
    ClassLoader loader = Thread.currentThread().getContextClassLoader();
    List<OrchestratorLauncher> found =
        ServiceLoader.load(OrchestratorLauncher.class, loader).stream()
            .map(ServiceLoader.Provider::get)
            .toList();
    if (found.size() == 1) {
      return found.get(0);
    }
    if (found.isEmpty()) {
      throw new EnvironmentUnavailableException(
          "orchestrator: bundled needs the bundled orchestrator on the class path (dev.replcert:"
              + "replcert-lab at test scope provides it); or install Ramen on the clusters and set"
              + " orchestrator: ramen");
    }
    throw new EnvironmentUnavailableException(
        "more than one bundled orchestrator on the class path: "
            + found.stream().map(l -> l.getClass().getName()).collect(Collectors.joining(", ")));
  }
}
