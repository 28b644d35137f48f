package dev.replcert.lab;

import dev.replcert.harness.config.S3Profile;
import dev.replcert.harness.spi.OrchestratorLauncher;
import dev.replcert.harness.track.ResourceTracker;
import dev.replcert.orchestrator.HubControllers;
import dev.replcert.orchestrator.ManagedClusterControllers;
import dev.replcert.orchestrator.hub.HubOptions;
import dev.replcert.orchestrator.s3.S3Profiles;
import dev.replcert.orchestrator.vrg.VrgOptions;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bundled orchestrator on real clusters ({@code mode: clusters}, {@code orchestrator:
 * bundled}): Ramen's operator ConfigMaps written on the hub and on each managed cluster ({@link
 * RamenOperatorConfig}), then the reference controllers started against them, the hub's ({@link
 * HubControllers}) and each managed cluster's ({@link ManagedClusterControllers}). Without a hub in
 * cert.yaml the lab's hub and OCM agents run in-JVM ({@link EmbeddedHub}). Closing stops the
 * controllers and deletes everything the launch created.
 */
public final class BundledOrchestratorLauncher implements OrchestratorLauncher {

  private static final Logger LOG = LoggerFactory.getLogger(BundledOrchestratorLauncher.class);

  /** What the hub controllers watch; Ramen's and OCM's CRDs (copies: harness-core/api). */
  static final List<String> HUB_CRDS =
      List.of(
          "drpolicies.ramendr.openshift.io",
          "drclusters.ramendr.openshift.io",
          "manifestworks.work.open-cluster-management.io",
          "managedclusterviews.view.open-cluster-management.io");

  /** What the managed-cluster controllers watch: Ramen's VRG and csi-addons' replication CRDs. */
  static final List<String> MANAGED_CRDS =
      List.of(
          "volumereplicationgroups.ramendr.openshift.io",
          "volumereplications.replication.storage.openshift.io",
          "volumereplicationclasses.replication.storage.openshift.io");

  @Override
  public Launched launch(
      Optional<KubernetesClient> hub, Map<String, KubernetesClient> managed, List<S3Profile> s3Profiles) {
    Running running = new Running();
    try {
      KubernetesClient hubClient;
      if (hub.isPresent()) {
        hubClient = hub.get();
      } else {
        running.embedded = EmbeddedHub.start(managed, EmbeddedHub.TIMING);
        hubClient = running.embedded.client();
        copyReferencedKeys(hubClient, managed, s3Profiles);
      }
      running.hub = hubClient;
      requireCrds("hub", hubClient, HUB_CRDS);
      managed.forEach((name, client) -> requireCrds(name, client, MANAGED_CRDS));
      RamenOperatorConfig.write("hub", hubClient, RamenOperatorConfig.HUB_CONFIG_MAP, s3Profiles, running.created);
      managed.forEach(
          (name, client) ->
              RamenOperatorConfig.write(name, client, S3Profiles.RAMEN_CONFIG_MAP, s3Profiles, running.created));
      String namespace = RamenOperatorConfig.NAMESPACE;
      running.controllers.add(
          HubControllers.start(
              hubClient,
              S3Profiles.fromRamenConfigMap(hubClient, namespace, RamenOperatorConfig.HUB_CONFIG_MAP),
              namespace,
              HubOptions.defaults()));
      managed.forEach(
          (name, client) ->
              running.controllers.add(
                  ManagedClusterControllers.start(
                      client,
                      S3Profiles.fromRamenConfigMap(client, namespace, S3Profiles.RAMEN_CONFIG_MAP),
                      namespace,
                      VrgOptions.defaults())));
    } catch (RuntimeException e) {
      running.closeQuietly();
      throw new IllegalStateException("the bundled orchestrator did not start: " + e.getMessage(), e);
    }
    LOG.info(
        "bundled orchestrator running: hub {}, managed clusters {}",
        running.embedded == null ? "from cert.yaml" : running.embedded,
        managed.keySet());
    return running;
  }

  /** Fails naming the cluster and every CRD it lacks. */
  private static void requireCrds(String cluster, KubernetesClient client, List<String> names) {
    List<String> missing =
        names.stream()
            .filter(n -> client.apiextensions().v1().customResourceDefinitions().withName(n).get() == null)
            .toList();
    if (!missing.isEmpty()) {
      throw new IllegalStateException(
          "cluster "
              + cluster
              + " lacks the CRDs the bundled orchestrator needs: "
              + missing
              + " (install them from Ramen, OCM and csi-addons; copies are in harness-core/api,"
              + " META-INF/replcert/crds)");
    }
  }

  /**
   * A profile whose keys are a Secret on the clusters: the embedded hub, born empty, gets a copy
   * from the first managed cluster that has it (it never leaves this JVM), so its DRClusters can
   * reach the store as a real hub's would.
   */
  private static void copyReferencedKeys(
      KubernetesClient hub, Map<String, KubernetesClient> managed, List<S3Profile> profiles) {
    for (S3Profile profile : profiles) {
      if (profile.secretRef() == null) {
        continue;
      }
      String namespace = profile.secretRef().namespace();
      String name = profile.secretRef().name();
      Secret found =
          managed.values().stream()
              .map(c -> c.secrets().inNamespace(namespace).withName(name).get())
              .filter(Objects::nonNull)
              .findFirst()
              .orElseThrow(
                  () ->
                      new IllegalStateException(
                          "S3 profile "
                              + profile.name()
                              + ": Secret "
                              + namespace
                              + "/"
                              + name
                              + " is on none of the managed clusters "
                              + managed.keySet()));
      if (hub.namespaces().withName(namespace).get() == null) {
        hub.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build()).create();
      }
      hub.secrets()
          .inNamespace(namespace)
          .resource(
              new SecretBuilder()
                  .withNewMetadata()
                  .withName(name)
                  .withNamespace(namespace)
                  .endMetadata()
                  .withData(found.getData())
                  .withStringData(found.getStringData())
                  .build())
          .create();
    }
  }

  /** The started parts, stopped in reverse: controllers, then what was created, then the embedded hub. */
  private static final class Running implements Launched {
    private final List<AutoCloseable> controllers = new ArrayList<>();
    private final ResourceTracker created = new ResourceTracker("bundled orchestrator");
    private EmbeddedHub embedded;
    private KubernetesClient hub;

    @Override
    public KubernetesClient hub() {
      return hub;
    }

    @Override
    public void close() {
      List<AutoCloseable> stopping = new ArrayList<>(controllers);
      Collections.reverse(stopping);
      controllers.clear();
      RuntimeException failure = null;
      for (AutoCloseable part : stopping) {
        try {
          part.close();
        } catch (Exception e) {
          failure = first(failure, e);
        }
      }
      try {
        created.cleanUp();
      } catch (RuntimeException e) {
        failure = first(failure, e);
      }
      if (embedded != null) {
        try {
          embedded.close();
        } catch (RuntimeException e) {
          failure = first(failure, e);
        }
        embedded = null;
      }
      if (failure != null) {
        throw failure;
      }
    }

    void closeQuietly() {
      try {
        close();
      } catch (RuntimeException e) {
        LOG.warn("undoing a failed start of the bundled orchestrator: {}", e.toString());
      }
    }

    private static RuntimeException first(RuntimeException failure, Exception e) {
      if (failure != null) {
        failure.addSuppressed(e);
        return failure;
      }
      return e instanceof RuntimeException r
          ? r
          : new IllegalStateException("the bundled orchestrator did not stop cleanly: " + e, e);
    }

    @Override
    public String toString() {
      return "bundled orchestrator" + (embedded == null ? "" : " on the " + embedded);
    }
  }
}
