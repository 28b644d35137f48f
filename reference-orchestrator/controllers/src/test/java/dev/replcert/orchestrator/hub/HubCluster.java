package dev.replcert.orchestrator.hub;

import dev.replcert.api.k8s.Ocm;
import dev.replcert.orchestrator.HubControllers;
import dev.replcert.orchestrator.s3.S3Profiles;
import dev.replcert.orchestrator.testing.MockApi;
import dev.replcert.orchestrator.testing.S3Site;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.open_cluster_management.view.v1beta1.ManagedClusterView;
import io.open_cluster_management.view.v1beta1.ManagedClusterViewStatus;
import io.open_cluster_management.work.v1.ManifestWork;
import io.openshift.csiaddons.v1alpha1.NetworkFence;
import io.openshift.csiaddons.v1alpha1.NetworkFenceStatus;
import io.openshift.ramendr.v1alpha1.DRCluster;
import io.openshift.ramendr.v1alpha1.DRClusterSpec;
import io.openshift.ramendr.v1alpha1.DRPolicy;
import io.openshift.ramendr.v1alpha1.DRPolicySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;

/**
 * The hub for the hub-controller tests: a CRUD mock API server with the catalogued CRDs, one
 * namespace per managed cluster ({@value #EAST}, {@value #WEST}), one S3 site per cluster with its
 * profile Secret in ramen-system, and the hub controllers (which a test may stop and start). No OCM
 * agents run: tests play the view agent by writing {@code status} of ManagedClusterViews in the
 * shapes multicloud-operators-foundation writes.
 */
final class HubCluster implements AutoCloseable {

  static final String EAST = "east";
  static final String WEST = "west";
  static final String FENCE_CLASS = "replcert-fence";
  static final HubOptions OPTIONS =
      new HubOptions(Duration.ofMillis(200), Duration.ofSeconds(5), FENCE_CLASS);

  final KubernetesMockServer server;
  final KubernetesClient client;
  final S3Site eastS3 = new S3Site(EAST);
  final S3Site westS3 = new S3Site(WEST);
  private HubControllers controllers;

  HubCluster() {
    server = MockApi.server();
    client = server.createClient();
    for (String ns : List.of(EAST, WEST, S3Site.SECRET_NAMESPACE)) {
      MockApi.namespace(client, ns);
    }
    MockApi.s3Secret(client, eastS3);
    MockApi.s3Secret(client, westS3);
    startControllers();
  }

  void startControllers() {
    controllers =
        HubControllers.start(
            client,
            S3Profiles.of(List.of(eastS3.profile(), westS3.profile())),
            S3Site.SECRET_NAMESPACE,
            OPTIONS);
  }

  void stopControllers() {
    controllers.close();
  }

  /** A DRCluster named as its managed cluster, with that site's S3 profile. */
  DRCluster createCluster(String name, String region, List<String> cidrs) {
    DRCluster cluster = new DRCluster();
    cluster.getMetadata().setName(name);
    DRClusterSpec spec = new DRClusterSpec();
    spec.setRegion(region);
    spec.setS3ProfileName("s3-" + name);
    spec.setCidrs(cidrs);
    cluster.setSpec(spec);
    return client.resource(cluster).create();
  }

  DRPolicy createPolicy(String name, String interval, List<String> clusters) {
    DRPolicy policy = new DRPolicy();
    policy.getMetadata().setName(name);
    DRPolicySpec spec = new DRPolicySpec();
    spec.setSchedulingInterval(interval);
    spec.setDrClusters(clusters);
    policy.setSpec(spec);
    return client.resource(policy).create();
  }

  DRCluster cluster(String name) {
    return client.resources(DRCluster.class).withName(name).get();
  }

  DRPolicy policy(String name) {
    return client.resources(DRPolicy.class).withName(name).get();
  }

  /** Edits a DRCluster's spec as a user would, again on a conflict with the controller. */
  void editCluster(String name, Consumer<DRClusterSpec> change) {
    for (int attempt = 1; ; attempt++) {
      try {
        client
            .resources(DRCluster.class)
            .withName(name)
            .edit(
                c -> {
                  change.accept(c.getSpec());
                  return c;
                });
        return;
      } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
        if (e.getCode() != 409 || attempt == 5) {
          throw e;
        }
      }
    }
  }

  ManifestWork work(String namespace, String name) {
    return client.resources(ManifestWork.class).inNamespace(namespace).withName(name).get();
  }

  ManagedClusterView view(String namespace, String name) {
    return client.resources(ManagedClusterView.class).inNamespace(namespace).withName(name).get();
  }

  /**
   * Plays the view agent and csi-addons on the peer: the view's result is the NetworkFence the
   * work delivered, with the result its controller would write.
   */
  void reportFence(String peer, String view, NetworkFence delivered, NetworkFenceStatus.Result r) {
    NetworkFenceStatus status = new NetworkFenceStatus();
    status.setResult(r);
    status.setMessage(
        r == NetworkFenceStatus.Result.SUCCEEDED
            ? "fencing operation successful"
            : "Failed to validate Networkfence parameters: no such class");
    delivered.setStatus(status);
    GenericKubernetesResource result =
        client.getKubernetesSerialization().convertValue(delivered, GenericKubernetesResource.class);
    writeView(peer, view, "True", "GetResourceProcessing", "Watching resources successfully", result);
  }

  /** Plays the view agent after the work agent removed the NetworkFence. */
  void reportFenceGone(String peer, String view, String fence) {
    writeView(
        peer,
        view,
        "False",
        "GetResourceFailed",
        "failed to get resource with err: networkfences.csiaddons.openshift.io \""
            + fence
            + "\" not found",
        null);
  }

  private void writeView(
      String ns,
      String name,
      String processing,
      String reason,
      String message,
      GenericKubernetesResource result) {
    client
        .resources(ManagedClusterView.class)
        .inNamespace(ns)
        .withName(name)
        .editStatus(
            v -> {
              ManagedClusterViewStatus status = new ManagedClusterViewStatus();
              status.setConditions(
                  List.of(
                      new ConditionBuilder()
                          .withType(Ocm.VIEW_CONDITION_PROCESSING)
                          .withStatus(processing)
                          .withReason(reason)
                          .withMessage(message)
                          .withObservedGeneration(v.getMetadata().getGeneration())
                          .withLastTransitionTime(Instant.now().toString())
                          .build()));
              status.setResult(result);
              v.setStatus(status);
              return v;
            });
  }

  @Override
  public void close() {
    try {
      controllers.close();
    } finally {
      client.close();
      server.destroy();
      eastS3.close();
      westS3.close();
    }
  }
}
