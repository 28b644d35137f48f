package dev.replcert.orchestrator.vrg;

import dev.replcert.api.k8s.Ramen;
import dev.replcert.orchestrator.ManagedClusterControllers;
import dev.replcert.orchestrator.s3.S3Profiles;
import dev.replcert.orchestrator.testing.MockApi;
import dev.replcert.orchestrator.testing.S3Site;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.storage.StorageClassBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.openshift.ramendr.v1alpha1.VolumeReplicationGroup;
import io.openshift.ramendr.v1alpha1.VolumeReplicationGroupSpec;
import io.openshift.ramendr.v1alpha1.VolumeReplicationGroupSpec.ReplicationState;
import io.openshift.ramendr.v1alpha1.volumereplicationgroupspec.Async;
import io.openshift.storage.replication.v1alpha1.VolumeReplication;
import io.openshift.storage.replication.v1alpha1.VolumeReplicationClass;
import io.openshift.storage.replication.v1alpha1.VolumeReplicationClassSpec;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import org.awaitility.core.ConditionFactory;

/**
 * One managed cluster for the VRG tests: a fabric8 CRUD mock API server with the catalogued CRDs,
 * namespace {@value #NS}, a StorageClass and VolumeReplicationClasses as a driver would install
 * them, the Secrets of the given S3 sites, and the managed-cluster controllers (which a test may
 * stop and start again). There is no csi-addons controller, provisioner or kubelet: tests play them
 * by writing PV/PVC/VR objects and statuses.
 */
final class VrgCluster implements AutoCloseable {

  static final String NS = "app";
  static final String PROVISIONER = "replcert.csi.example";
  static final String STORAGE_CLASS = "replicated";
  static final String VRC = "vrc-1m";

  static final VrgOptions OPTIONS = new VrgOptions(Duration.ofMillis(200), Duration.ofSeconds(5));

  final KubernetesMockServer server;
  final KubernetesClient client;
  final List<S3Site> sites;
  private ManagedClusterControllers controllers;

  VrgCluster(S3Site... sites) {
    this.sites = List.of(sites);
    server = MockApi.server();
    client = server.createClient();
    MockApi.namespace(client, NS);
    MockApi.namespace(client, S3Site.SECRET_NAMESPACE);
    for (S3Site site : sites) {
      MockApi.s3Secret(client, site);
    }
    client
        .storage()
        .v1()
        .storageClasses()
        .resource(
            new StorageClassBuilder()
                .withNewMetadata()
                .withName(STORAGE_CLASS)
                .addToLabels(Ramen.STORAGE_ID_LABEL, "storage-east")
                .endMetadata()
                .withProvisioner(PROVISIONER)
                .withReclaimPolicy("Delete")
                .build())
        .create();
    replicationClass(VRC, PROVISIONER, "1m");
    replicationClass("vrc-5m", PROVISIONER, "5m");
    replicationClass("vrc-other-driver", "other.csi.example", "1m");
    startControllers();
  }

  private void replicationClass(String name, String provisioner, String interval) {
    VolumeReplicationClass vrc = new VolumeReplicationClass();
    vrc.getMetadata().setName(name);
    vrc.getMetadata()
        .setLabels(
            Map.of(
                Ramen.REPLICATION_ID_LABEL,
                "repl-1",
                Ramen.STORAGE_ID_LABEL,
                "storage-east",
                "replcert.dev/class",
                "dr"));
    VolumeReplicationClassSpec spec = new VolumeReplicationClassSpec();
    spec.setProvisioner(provisioner);
    spec.setParameters(Map.of(VrgNames.SCHEDULING_INTERVAL_PARAMETER, interval));
    vrc.setSpec(spec);
    client.resource(vrc).create();
  }

  void startControllers() {
    controllers =
        ManagedClusterControllers.start(
            client,
            S3Profiles.of(sites.stream().map(S3Site::profile).toList()),
            S3Site.SECRET_NAMESPACE,
            OPTIONS);
  }

  void stopControllers() {
    controllers.close();
  }

  /** A PV made as a provisioner would (reclaim Delete), and its claim, bound to each other. */
  PersistentVolumeClaim boundPvc(String name, Map<String, String> labels) {
    PersistentVolumeClaim pvc =
        client
            .resource(
                new PersistentVolumeClaimBuilder()
                    .withNewMetadata()
                    .withName(name)
                    .withNamespace(NS)
                    .withLabels(labels)
                    .endMetadata()
                    .withNewSpec()
                    .withStorageClassName(STORAGE_CLASS)
                    .withAccessModes("ReadWriteOnce")
                    .withVolumeMode("Filesystem")
                    .withVolumeName("pv-" + name)
                    .withNewResources()
                    .addToRequests("storage", new Quantity("1Gi"))
                    .endResources()
                    .endSpec()
                    .build())
            .create();
    client
        .resource(
            new PersistentVolumeBuilder()
                .withNewMetadata()
                .withName("pv-" + name)
                .endMetadata()
                .withNewSpec()
                .withStorageClassName(STORAGE_CLASS)
                .withAccessModes("ReadWriteOnce")
                .withVolumeMode("Filesystem")
                .withPersistentVolumeReclaimPolicy("Delete")
                .addToCapacity("storage", new Quantity("1Gi"))
                .withNewCsi()
                .withDriver(PROVISIONER)
                .withVolumeHandle("vol-" + name)
                .withFsType("ext4")
                .endCsi()
                .withNewClaimRef()
                .withKind("PersistentVolumeClaim")
                .withNamespace(NS)
                .withName(name)
                .withUid(pvc.getMetadata().getUid())
                .withResourceVersion(pvc.getMetadata().getResourceVersion())
                .endClaimRef()
                .endSpec()
                .withNewStatus()
                .withPhase("Bound")
                .endStatus()
                .build())
        .create();
    return bind(name);
  }

  /** Plays the PV controller: the claim reports Bound. */
  PersistentVolumeClaim bind(String name) {
    return client
        .persistentVolumeClaims()
        .inNamespace(NS)
        .withName(name)
        .editStatus(
            p -> {
              p.setStatus(
                  new io.fabric8.kubernetes.api.model.PersistentVolumeClaimStatusBuilder()
                      .withPhase("Bound")
                      .withAccessModes("ReadWriteOnce")
                      .addToCapacity("storage", new Quantity("1Gi"))
                      .build());
              return p;
            });
  }

  VolumeReplicationGroup createVrg(
      String name, LabelSelector selector, ReplicationState state, List<String> profiles) {
    VolumeReplicationGroup vrg = new VolumeReplicationGroup();
    vrg.getMetadata().setName(name);
    vrg.getMetadata().setNamespace(NS);
    VolumeReplicationGroupSpec spec = new VolumeReplicationGroupSpec();
    spec.setPvcSelector(selector);
    spec.setReplicationState(state);
    spec.setS3Profiles(profiles);
    Async async = new Async();
    async.setSchedulingInterval("1m");
    async.setReplicationClassSelector(
        new LabelSelectorBuilder().addToMatchLabels("replcert.dev/class", "dr").build());
    spec.setAsync(async);
    vrg.setSpec(spec);
    return client.resource(vrg).create();
  }

  List<String> profiles() {
    return sites.stream().map(s -> s.profile().name()).toList();
  }

  VolumeReplicationGroup vrg(String name) {
    return client.resources(VolumeReplicationGroup.class).inNamespace(NS).withName(name).get();
  }

  /** Edits the spec as a user would, again on a conflict (the controller writes the VRG too). */
  void editVrg(String name, Consumer<VolumeReplicationGroupSpec> change) {
    for (int attempt = 1; ; attempt++) {
      try {
        client
            .resources(VolumeReplicationGroup.class)
            .inNamespace(NS)
            .withName(name)
            .edit(
                v -> {
                  change.accept(v.getSpec());
                  return v;
                });
        return;
      } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
        if (e.getCode() != 409 || attempt == 5) {
          throw e;
        }
      }
    }
  }

  /** A merge patch of one label: no resourceVersion, so the controller's own edits never conflict. */
  void relabel(String pvc, String key, String value) {
    client
        .persistentVolumeClaims()
        .inNamespace(NS)
        .withName(pvc)
        .patch(
            io.fabric8.kubernetes.client.dsl.base.PatchContext.of(
                io.fabric8.kubernetes.client.dsl.base.PatchType.JSON_MERGE),
            "{\"metadata\":{\"labels\":{\"" + key + "\":\"" + value + "\"}}}");
  }

  VolumeReplication vr(String name) {
    return client.resources(VolumeReplication.class).inNamespace(NS).withName(name).get();
  }

  PersistentVolumeClaim pvc(String name) {
    return client.persistentVolumeClaims().inNamespace(NS).withName(name).get();
  }

  PersistentVolume pv(String name) {
    return client.persistentVolumes().withName(name).get();
  }

  static ConditionFactory waitFor(String what) {
    return MockApi.waitFor(what);
  }

  static <T> T until(String what, Callable<T> read, Consumer<T> assertion) {
    return MockApi.until(what, read, assertion);
  }

  @Override
  public void close() {
    try {
      controllers.close();
    } finally {
      client.close();
      server.destroy();
    }
  }
}
