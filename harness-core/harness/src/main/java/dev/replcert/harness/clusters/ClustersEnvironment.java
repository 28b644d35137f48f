package dev.replcert.harness.clusters;

import dev.replcert.harness.config.CertificationConfig;
import dev.replcert.harness.config.ClusterRef;
import dev.replcert.harness.config.ClustersConfig;
import dev.replcert.harness.config.Orchestrator;
import dev.replcert.harness.config.S3Profile;
import dev.replcert.harness.config.SecretValue;
import dev.replcert.harness.config.SiteEndpoint;
import dev.replcert.harness.config.TimeoutOperation;
import dev.replcert.harness.endpoint.ChannelDriverEndpoint;
import dev.replcert.harness.endpoint.CommandDisasterInjector;
import dev.replcert.harness.endpoint.CommandReplicationControl;
import dev.replcert.harness.grpc.CallLog;
import dev.replcert.harness.record.Redactor;
import dev.replcert.harness.spi.DisasterInjector;
import dev.replcert.harness.spi.DriverEndpoint;
import dev.replcert.harness.spi.Environment;
import dev.replcert.harness.spi.OrchestratorLauncher;
import dev.replcert.harness.spi.ReplicationControl;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * {@code mode: clusters}: the vendor's real clusters, each from a kubeconfig file and context,
 * checked to answer before any test runs. Beside them, when cert.yaml configures them: the
 * driver's sockets (e.g. through a port-forward), the S3 stores of {@code s3Profiles}, the
 * disaster hooks and the pause/resume hooks. A capability with nothing configured is absent, and
 * the tests that need it skip with that reason.
 *
 * <p>With {@code orchestrator: bundled} the reference orchestrator is started the first time a
 * test asks for the hub, through an {@link OrchestratorLauncher} on the class path: layer-1 runs
 * never ask for the hub, so they neither need Ramen's CRDs on the clusters nor write its
 * configuration there. With {@code orchestrator: ramen} the installed Ramen does the work.
 */
final class ClustersEnvironment implements Environment {

  private static final Logger LOG = LoggerFactory.getLogger(ClustersEnvironment.class);

  private final CertificationConfig config;
  private final CallLog log = new CallLog();
  private final Map<String, KubernetesClient> clusters = new LinkedHashMap<>();
  private final Map<String, ChannelDriverEndpoint> endpoints = new LinkedHashMap<>();
  private final Supplier<OrchestratorLauncher> launchers;
  private final DisasterInjector disasters;
  private final ReplicationControl control;
  private S3Stores stores;
  private OrchestratorLauncher.Launched orchestrator;
  private RuntimeException launchFailure;

  ClustersEnvironment(CertificationConfig config, Supplier<OrchestratorLauncher> launchers) {
    this.config = config;
    this.launchers = launchers;
    Redactor redactor = new Redactor(config.allSecrets().stream().map(SecretValue::reveal).toList());
    Duration rpc = config.timeoutProfile().of(TimeoutOperation.RPC);
    try {
      Map<String, ClusterRef> refs = refs(config.clusters());
      refs.forEach((name, ref) -> clusters.put(name, Kubeconfigs.client(name, ref)));
      ClusterProbe.requireAnswering(clusters, refs, rpc);
      openEndpoints(redactor, rpc);
      KubernetesClient secrets = clusters.containsKey("hub") ? clusters.get("hub") : clusters.get("east");
      this.stores =
          new S3Stores(config.s3Profiles(), clusters.containsKey("hub") ? "hub" : "east", secrets, rpc);
    } catch (RuntimeException e) {
      close();
      throw e;
    }
    this.disasters =
        config.disaster() == null ? null : new CommandDisasterInjector(config.disaster(), redactor);
    this.control =
        config.driver().replicationControl() == null
            ? null
            : new CommandReplicationControl(config.driver().replicationControl(), rpc, redactor);
    LOG.info(
        "clusters {} answer; driver endpoints {}; disaster hooks for {}; orchestrator {}",
        clusters.keySet(),
        endpoints.keySet(),
        config.disaster() == null ? "no site" : config.disaster().sites().asMap().keySet(),
        config.orchestrator());
  }

  private static Map<String, ClusterRef> refs(ClustersConfig clusters) {
    Map<String, ClusterRef> refs = new LinkedHashMap<>();
    if (clusters == null) {
      return refs;
    }
    if (clusters.hub() != null) {
      refs.put("hub", clusters.hub());
    }
    refs.put("east", clusters.east());
    refs.put("west", clusters.west());
    refs.values().removeIf(r -> r == null);
    return refs;
  }

  /** The driver's sockets, when cert.yaml gives them; each must answer CSI Probe. */
  private void openEndpoints(Redactor redactor, Duration rpc) {
    if (config.driver().endpoints() == null) {
      return;
    }
    Map<String, String> secrets = new LinkedHashMap<>();
    config.driver().secrets().forEach((k, v) -> secrets.put(k, v.reveal()));
    for (Map.Entry<String, SiteEndpoint> e : config.driver().endpoints().asMap().entrySet()) {
      ChannelDriverEndpoint endpoint =
          new ChannelDriverEndpoint(e.getKey(), e.getValue(), secrets, log, redactor);
      endpoints.put(e.getKey(), endpoint);
      endpoint.probe(rpc);
    }
  }

  @Override
  public String name() {
    return "clusters";
  }

  @Override
  public <T> Optional<T> client(Class<T> type, Optional<String> site) {
    if (type == KubernetesClient.class && site.isPresent()) {
      return kubernetes(site.get()).map(type::cast);
    }
    if (type == DriverEndpoint.class && site.isPresent()) {
      return Optional.ofNullable(endpoints.get(site.get())).map(type::cast);
    }
    if (type == S3Client.class && site.isPresent()) {
      return stores.client(site.get()).map(type::cast);
    }
    if (type == S3Profile.class && site.isPresent()) {
      return stores.profile(site.get()).map(type::cast);
    }
    if (type == CallLog.class) {
      return Optional.of(type.cast(log));
    }
    if (type == DisasterInjector.class) {
      return Optional.ofNullable(disasters).map(type::cast);
    }
    if (type == ReplicationControl.class) {
      return Optional.ofNullable(control).map(type::cast);
    }
    return Optional.empty();
  }

  private Optional<KubernetesClient> kubernetes(String cluster) {
    if (cluster.equals("hub") && config.orchestrator() == Orchestrator.BUNDLED) {
      return Optional.of(orchestrator().hub());
    }
    return Optional.ofNullable(clusters.get(cluster));
  }

  /**
   * The bundled orchestrator, started on first use. A failed start is remembered: every later
   * request fails with the same message instead of trying again half-way.
   */
  private synchronized OrchestratorLauncher.Launched orchestrator() {
    if (launchFailure != null) {
      throw launchFailure;
    }
    if (orchestrator == null) {
      Map<String, KubernetesClient> managed = new LinkedHashMap<>(clusters);
      KubernetesClient hub = managed.remove("hub");
      try {
        orchestrator =
            launchers
                .get()
                .launch(Optional.ofNullable(hub), managed, config.s3Profiles());
      } catch (RuntimeException e) {
        launchFailure = e;
        throw e;
      }
      LOG.info("bundled orchestrator started on hub and managed clusters {}", managed.keySet());
    }
    return orchestrator;
  }

  /** Stops the orchestrator, then closes the driver channels, S3 clients and cluster clients. */
  @Override
  public synchronized void close() {
    List<AutoCloseable> parts = new ArrayList<>();
    if (orchestrator != null) {
      parts.add(orchestrator);
    }
    parts.addAll(endpoints.values());
    if (stores != null) {
      parts.add(stores);
    }
    List<KubernetesClient> clients = new ArrayList<>(clusters.values());
    Collections.reverse(clients);
    parts.addAll(clients);
    orchestrator = null;
    endpoints.clear();
    clusters.clear();
    for (AutoCloseable part : parts) {
      try {
        part.close();
      } catch (Exception e) {
        LOG.warn("closing {} failed: {}", part, e.toString());
      }
    }
  }
}
