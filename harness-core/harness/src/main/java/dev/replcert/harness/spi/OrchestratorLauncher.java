package dev.replcert.harness.spi;

import dev.replcert.harness.config.S3Profile;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Service-provider interface (java.util.ServiceLoader) that runs the bundled orchestrator on real
 * clusters ({@code mode: clusters}, {@code orchestrator: bundled}). The harness cannot depend on
 * the orchestrator's controllers (they sit above it), so the module that can ({@code
 * replcert-lab}) provides this and the clusters environment finds it on the class path.
 */
public interface OrchestratorLauncher {

  /**
   * Configures and starts the orchestrator: its hub side against {@code hub}, its managed-cluster
   * side against each of {@code managed}. Must either return a started orchestrator or throw after
   * undoing whatever it had created or started; the message names the cluster that refused.
   *
   * @param hub the hub, or empty when cert.yaml names none (the launcher may then run one itself)
   * @param managed the managed clusters by site ({@code east}, {@code west}); the clients belong
   *     to the caller and stay open
   * @param s3Profiles cert.yaml's {@code s3Profiles}, where the orchestrator keeps cluster
   *     metadata
   */
  Launched launch(
      Optional<KubernetesClient> hub,
      Map<String, KubernetesClient> managed,
      List<S3Profile> s3Profiles);

  /** A running orchestrator. */
  interface Launched extends AutoCloseable {

    /** The hub it runs on: the one given, or the one the launcher runs itself. */
    KubernetesClient hub();

    /** Stops the controllers and deletes what the launch created; the callers' clients stay open. */
    @Override
    void close();
  }
}
