package dev.replcert.lab;

import dev.replcert.lab.substrate.ocm.OcmHub;
import dev.replcert.lab.substrate.ocm.OcmTiming;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.Map;

/**
 * The hub the harness runs itself when cert.yaml names none ({@code orchestrator: bundled}): the
 * lab's hub API server with the project's CRDs, and the lab's OCM agents (ManagedClusters with
 * leases, ManifestWork and ManagedClusterView) working on the real managed clusters. Nothing of OCM
 * needs to be installed on them; the agents reach them through the harness's clients.
 */
final class EmbeddedHub implements AutoCloseable {

  /**
   * OCM's pace scaled to real clusters: a lease renewed every 5 s (one cheap request per cluster),
   * Unknown after 20 s without one, works and views refreshed every 5 s.
   */
  static final OcmTiming TIMING = new OcmTiming(Duration.ofSeconds(5), Duration.ofSeconds(20), Duration.ofSeconds(5));

  private final LabApiServer server;
  private final OcmHub ocm;

  private EmbeddedHub(LabApiServer server, OcmHub ocm) {
    this.server = server;
    this.ocm = ocm;
  }

  /** Starts the hub and the OCM agents for {@code managed} (clients stay the caller's). */
  static EmbeddedHub start(Map<String, KubernetesClient> managed, OcmTiming timing) {
    LabApiServer server = LabApiServer.start("hub");
    try {
      LabCrds.fromClasspath(EmbeddedHub.class.getClassLoader()).registerIn(server.client());
      OcmHub ocm = new OcmHub(server.client(), managed, timing);
      ocm.start();
      return new EmbeddedHub(server, ocm);
    } catch (RuntimeException e) {
      server.close();
      throw new IllegalStateException("cannot start the embedded hub: " + e.getMessage(), e);
    }
  }

  KubernetesClient client() {
    return server.client();
  }

  @Override
  public void close() {
    try {
      ocm.close();
    } finally {
      server.close();
    }
  }

  @Override
  public String toString() {
    return "embedded hub at " + server.url();
  }
}
