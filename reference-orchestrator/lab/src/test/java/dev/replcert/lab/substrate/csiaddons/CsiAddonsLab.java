package dev.replcert.lab.substrate.csiaddons;

import dev.replcert.api.csi.v1.CapacityRange;
import dev.replcert.api.csi.v1.ControllerGrpc;
import dev.replcert.api.csi.v1.CreateVolumeRequest;
import dev.replcert.api.csi.v1.NodeGrpc;
import dev.replcert.api.csi.v1.NodePublishVolumeRequest;
import dev.replcert.api.csi.v1.NodeStageVolumeRequest;
import dev.replcert.api.csi.v1.NodeUnpublishVolumeRequest;
import dev.replcert.api.csi.v1.NodeUnstageVolumeRequest;
import dev.replcert.api.csi.v1.VolumeCapability;
import dev.replcert.api.csiaddons.replication.PromoteVolumeRequest;
import dev.replcert.api.k8s.CrdCatalog;
import dev.replcert.harness.config.ConfigLoader;
import dev.replcert.harness.spi.DisasterInjector;
import dev.replcert.harness.spi.DriverEndpoint;
import dev.replcert.harness.spi.Environment;
import dev.replcert.harness.volume.PublishedVolume;
import dev.replcert.harness.volume.VolumeIo;
import dev.replcert.lab.LabEnvironmentProvider;
import dev.replcert.mockapi.FinalizedDeleteDispatcher;
import dev.replcert.mockapi.WatchCloseDispatcher;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ClientInterceptors;
import io.grpc.ForwardingClientCall;
import io.grpc.MethodDescriptor;
import io.openshift.storage.replication.v1alpha1.VolumeReplication;
import io.openshift.storage.replication.v1alpha1.VolumeReplicationClass;
import io.openshift.storage.replication.v1alpha1.VolumeReplicationClassSpec;
import io.openshift.storage.replication.v1alpha1.VolumeReplicationSpec;
import io.openshift.storage.replication.v1alpha1.VolumeReplicationSpec.ReplicationState;
import io.openshift.storage.replication.v1alpha1.volumereplicationspec.DataSource;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * The lab's two driver sites (as the lab starts them) plus one CRUD mock API server per managed
 * cluster (east, west) with every catalogued CRD registered and a {@link CsiAddonsController} on
 * each, wired to its site's csi-addons channel. PVs and PVCs are made by hand (no provisioner).
 */
final class CsiAddonsLab implements AutoCloseable {

  static final String DRIVER = dev.replcert.refdriver.DriverOptions.DRIVER_NAME;
  static final String NAMESPACE = "apps";
  static final String SECRET_NAMESPACE = "csi";
  static final Duration RPC_TIMEOUT = Duration.ofSeconds(10);
  static final long SIZE = 4L << 20;

  /**
   * One managed cluster: its API server, client, controller, the requests it sent and what the test
   * changes in the driver's answers.
   */
  record Cluster(
      String site,
      KubernetesMockServer server,
      KubernetesClient client,
      DriverEndpoint driver,
      CsiAddonsController controller,
      List<Object> requests,
      DriverTweaks tweaks) {

    /** Every PromoteVolume the controller sent, in order. */
    List<PromoteVolumeRequest> promotes() {
      return requests.stream()
          .filter(PromoteVolumeRequest.class::isInstance)
          .map(PromoteVolumeRequest.class::cast)
          .toList();
    }

    /** Requests of one type the controller sent, in order. */
    <T> List<T> sent(Class<T> type) {
      return requests.stream().filter(type::isInstance).map(type::cast).toList();
    }
  }

  private final Environment lab;
  private final Map<String, Cluster> clusters = new LinkedHashMap<>();

  private CsiAddonsLab(Environment lab) {
    this.lab = lab;
  }

  static CsiAddonsLab start() {
    Environment lab =
        new LabEnvironmentProvider()
            .start(
                ConfigLoader.defaults(),
                // its own controllers run on its own API servers: the lab's would only watch idle
                // clusters, and keep listing a cluster a test took down
                k ->
                    Optional.ofNullable(
                        Map.of("replcert.lab.syncPeriod", "250ms", "replcert.lab.substrate", "false")
                            .get(k)));
    CsiAddonsLab fixture = new CsiAddonsLab(lab);
    try {
      for (String site : List.of("east", "west")) {
        fixture.clusters.put(site, fixture.cluster(site));
      }
    } catch (RuntimeException e) {
      fixture.close();
      throw e;
    }
    return fixture;
  }

  private Cluster cluster(String site) {
    KubernetesMockServer server =
        new KubernetesMockServer(
            new Context(),
            new MockWebServer(),
            new HashMap<>(),
            new WatchCloseDispatcher(new FinalizedDeleteDispatcher(new KubernetesCrudDispatcher()), site),
            false);
    server.init();
    KubernetesClient client = server.createClient();
    for (CrdCatalog.Entry entry : CrdCatalog.all()) {
      client
          .apiextensions()
          .v1()
          .customResourceDefinitions()
          .resource(CrdCatalog.definition(entry))
          .create();
    }
    for (String ns : List.of(NAMESPACE, SECRET_NAMESPACE)) {
      client
          .namespaces()
          .resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
          .create();
    }
    DriverEndpoint driver = lab.client(DriverEndpoint.class, Optional.of(site)).orElseThrow();
    if (!driver.secrets().isEmpty()) {
      client
          .secrets()
          .resource(
              new SecretBuilder()
                  .withNewMetadata()
                  .withName("driver")
                  .withNamespace(SECRET_NAMESPACE)
                  .endMetadata()
                  .withStringData(driver.secrets())
                  .build())
          .create();
    }
    List<Object> requests = new CopyOnWriteArrayList<>();
    DriverTweaks tweaks = new DriverTweaks();
    // the recording sees the requests as sent, the tweaks change only the answers
    Channel recorded = ClientInterceptors.intercept(driver.addons(), tweaks, record(requests));
    CsiAddonsController controller =
        new CsiAddonsController(client, recorded, DRIVER, ControllerTiming.lab(), RPC_TIMEOUT)
            .start();
    return new Cluster(site, server, client, driver, controller, requests, tweaks);
  }

  private static ClientInterceptor record(List<Object> requests) {
    return new ClientInterceptor() {
      @Override
      public <Q, R> ClientCall<Q, R> interceptCall(
          MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
        return new ForwardingClientCall.SimpleForwardingClientCall<>(
            next.newCall(method, options)) {
          @Override
          public void sendMessage(Q message) {
            requests.add(message);
            super.sendMessage(message);
          }
        };
      }
    };
  }

  Cluster east() {
    return clusters.get("east");
  }

  Cluster west() {
    return clusters.get("west");
  }

  DisasterInjector disasters() {
    return lab.client(DisasterInjector.class, Optional.empty()).orElseThrow();
  }

  /** CreateVolume on the site's driver; the volume id. */
  String createVolume(Cluster cluster, String name) {
    return ControllerGrpc.newBlockingStub(cluster.driver().csi())
        .withDeadlineAfter(RPC_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
        .createVolume(
            CreateVolumeRequest.newBuilder()
                .setName(name)
                .setCapacityRange(CapacityRange.newBuilder().setRequiredBytes(SIZE))
                .addVolumeCapabilities(blockCapability())
                .putAllSecrets(cluster.driver().secrets())
                .build())
        .getVolume()
        .getVolumeId();
  }

  static VolumeCapability blockCapability() {
    return VolumeCapability.newBuilder()
        .setAccessMode(
            VolumeCapability.AccessMode.newBuilder()
                .setMode(VolumeCapability.AccessMode.Mode.SINGLE_NODE_WRITER))
        .setBlock(VolumeCapability.BlockVolume.getDefaultInstance())
        .build();
  }

  /**
   * A PV with {@code handle} and a PVC bound to it, as a provisioner (or Ramen on the peer) leaves
   * them.
   */
  PersistentVolumeClaim bind(
      Cluster cluster, String pvcName, String handle, Map<String, String> labels) {
    String pvName = "pv-" + pvcName;
    KubernetesClient client = cluster.client();
    client
        .persistentVolumes()
        .resource(
            new PersistentVolumeBuilder()
                .withNewMetadata()
                .withName(pvName)
                .endMetadata()
                .withNewSpec()
                .withCapacity(Map.of("storage", new Quantity(String.valueOf(SIZE))))
                .withAccessModes("ReadWriteOnce")
                .withPersistentVolumeReclaimPolicy("Retain")
                .withVolumeMode("Block")
                .withNewCsi()
                .withDriver(DRIVER)
                .withVolumeHandle(handle)
                .endCsi()
                .withNewClaimRef()
                .withNamespace(NAMESPACE)
                .withName(pvcName)
                .endClaimRef()
                .endSpec()
                .withNewStatus()
                .withPhase("Bound")
                .endStatus()
                .build())
        .create();
    PersistentVolumeClaim pvc =
        client
            .persistentVolumeClaims()
            .resource(
                new PersistentVolumeClaimBuilder()
                    .withNewMetadata()
                    .withName(pvcName)
                    .withNamespace(NAMESPACE)
                    .withLabels(labels)
                    .endMetadata()
                    .withNewSpec()
                    .withAccessModes("ReadWriteOnce")
                    .withVolumeMode("Block")
                    .withVolumeName(pvName)
                    .withNewResources()
                    .withRequests(Map.of("storage", new Quantity(String.valueOf(SIZE))))
                    .endResources()
                    .endSpec()
                    .build())
            .create();
    pvc.setStatus(
        new io.fabric8.kubernetes.api.model.PersistentVolumeClaimStatusBuilder()
            .withPhase("Bound")
            .build());
    return client.persistentVolumeClaims().resource(pvc).updateStatus();
  }

  /**
   * A VolumeReplicationClass of the driver with the lab's schedulingInterval and the driver's
   * secret.
   */
  VolumeReplicationClass replicationClass(Cluster cluster, String name, Map<String, String> extra) {
    Map<String, String> parameters = new LinkedHashMap<>();
    parameters.put("schedulingInterval", "1m");
    if (!cluster.driver().secrets().isEmpty()) {
      parameters.put("replication.storage.openshift.io/replication-secret-name", "driver");
      parameters.put(
          "replication.storage.openshift.io/replication-secret-namespace", SECRET_NAMESPACE);
    }
    parameters.putAll(extra);
    VolumeReplicationClass vrc = new VolumeReplicationClass();
    vrc.getMetadata().setName(name);
    VolumeReplicationClassSpec spec = new VolumeReplicationClassSpec();
    spec.setProvisioner(DRIVER);
    spec.setParameters(parameters);
    vrc.setSpec(spec);
    return cluster.client().resource(vrc).create();
  }

  VolumeReplication replicate(
      Cluster cluster, String name, String vrc, String pvc, ReplicationState state) {
    VolumeReplication vr = new VolumeReplication();
    vr.getMetadata().setName(name);
    vr.getMetadata().setNamespace(NAMESPACE);
    VolumeReplicationSpec spec = new VolumeReplicationSpec();
    spec.setVolumeReplicationClass(vrc);
    spec.setReplicationState(state);
    spec.setAutoResync(false);
    DataSource source = new DataSource();
    source.setKind("PersistentVolumeClaim");
    source.setName(pvc);
    spec.setDataSource(source);
    vr.setSpec(spec);
    return cluster.client().resource(vr).create();
  }

  VolumeReplication vr(Cluster cluster, String name) {
    return cluster
        .client()
        .resources(VolumeReplication.class)
        .inNamespace(NAMESPACE)
        .withName(name)
        .get();
  }

  VolumeReplication setState(Cluster cluster, String name, ReplicationState state) {
    return cluster
        .client()
        .resources(VolumeReplication.class)
        .inNamespace(NAMESPACE)
        .withName(name)
        .edit(
            v -> {
              v.getSpec().setReplicationState(state);
              return v;
            });
  }

  /** A volume staged and published on the site's node, its bytes open; closing unpublishes. */
  record Publication(VolumeIo io, Runnable unpublish) implements AutoCloseable {
    @Override
    public void close() {
      io.close();
      unpublish.run();
    }
  }

  Publication publish(Cluster cluster, String volumeId, Path dir) {
    var node = NodeGrpc.newBlockingStub(cluster.driver().node());
    Path staging = dir.resolve(cluster.site() + "-staging");
    Path target = dir.resolve(cluster.site() + "-device");
    node.withDeadlineAfter(RPC_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
        .nodeStageVolume(
            NodeStageVolumeRequest.newBuilder()
                .setVolumeId(volumeId)
                .setStagingTargetPath(staging.toString())
                .setVolumeCapability(blockCapability())
                .putAllSecrets(cluster.driver().secrets())
                .build());
    node.withDeadlineAfter(RPC_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
        .nodePublishVolume(
            NodePublishVolumeRequest.newBuilder()
                .setVolumeId(volumeId)
                .setStagingTargetPath(staging.toString())
                .setTargetPath(target.toString())
                .setVolumeCapability(blockCapability())
                .putAllSecrets(cluster.driver().secrets())
                .build());
    VolumeIo io = PublishedVolume.open(target, true, SIZE, RPC_TIMEOUT);
    return new Publication(
        io,
        () -> {
          node.withDeadlineAfter(RPC_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
              .nodeUnpublishVolume(
                  NodeUnpublishVolumeRequest.newBuilder()
                      .setVolumeId(volumeId)
                      .setTargetPath(target.toString())
                      .build());
          node.withDeadlineAfter(RPC_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
              .nodeUnstageVolume(
                  NodeUnstageVolumeRequest.newBuilder()
                      .setVolumeId(volumeId)
                      .setStagingTargetPath(staging.toString())
                      .build());
        });
  }

  @Override
  public void close() {
    List<RuntimeException> errors = new ArrayList<>();
    for (Cluster c : clusters.values()) {
      try {
        c.controller().close();
        c.client().close();
        c.server().destroy();
      } catch (RuntimeException e) {
        errors.add(e);
      }
    }
    lab.close();
    if (!errors.isEmpty()) {
      throw errors.get(0);
    }
  }
}
