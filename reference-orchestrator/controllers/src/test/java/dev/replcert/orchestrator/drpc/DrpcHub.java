package dev.replcert.orchestrator.drpc;

import static dev.replcert.orchestrator.testing.MockApi.until;
import static org.assertj.core.api.Assertions.assertThat;

import dev.replcert.orchestrator.HubControllers;
import dev.replcert.orchestrator.hub.HubOptions;
import dev.replcert.orchestrator.k8s.Conditions;
import dev.replcert.orchestrator.s3.S3Profiles;
import dev.replcert.orchestrator.testing.MockApi;
import dev.replcert.orchestrator.testing.S3Site;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.open_cluster_management.cluster.v1.ManagedCluster;
import io.open_cluster_management.cluster.v1.ManagedClusterStatus;
import io.open_cluster_management.cluster.v1beta1.Placement;
import io.open_cluster_management.cluster.v1beta1.PlacementDecision;
import io.open_cluster_management.cluster.v1beta1.PlacementSpec;
import io.open_cluster_management.view.v1beta1.ManagedClusterView;
import io.open_cluster_management.work.v1.ManifestWork;
import io.openshift.ramendr.v1alpha1.DRCluster;
import io.openshift.ramendr.v1alpha1.DRClusterSpec;
import io.openshift.ramendr.v1alpha1.DRPlacementControl;
import io.openshift.ramendr.v1alpha1.DRPlacementControlSpec;
import io.openshift.ramendr.v1alpha1.DRPolicy;
import io.openshift.ramendr.v1alpha1.DRPolicySpec;
import io.openshift.ramendr.v1alpha1.VolumeReplicationGroup;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The hub for the DRPC tests: a CRUD mock API server with the catalogued CRDs, namespaces and
 * Available ManagedClusters {@value #EAST} and {@value #WEST}, their DRClusters (one S3 site each)
 * and a validated DRPolicy, the hub controllers (stoppable), and {@link ManagedClustersPlayer}
 * playing OCM's agents and the managed clusters' VRGs. It records every ManifestWork event and
 * every DRPC phase/progression it sees.
 */
final class DrpcHub implements AutoCloseable {

  static final String EAST = "east";
  static final String WEST = "west";
  static final String POLICY = "policy";
  static final HubOptions OPTIONS = new HubOptions(Duration.ofMillis(100), Duration.ofSeconds(3), null);

  /** One VRG-work event: which cluster's work, and what it delivers (null state: deleted). */
  record WorkEvent(String cluster, String work, String state, boolean prepare, boolean run) {}

  /** A DRPC status as seen by the informer. */
  record Seen(String phase, String progression) {}

  final KubernetesMockServer server;
  final KubernetesClient client;
  final S3Site eastS3 = new S3Site(EAST);
  final S3Site westS3 = new S3Site(WEST);
  final ManagedClustersPlayer player;
  final List<WorkEvent> workEvents = new ArrayList<>();
  final Map<String, List<Seen>> drpcHistory = new HashMap<>();
  private final SharedIndexInformer<ManifestWork> workInformer;
  private final SharedIndexInformer<DRPlacementControl> drpcInformer;
  private final HubOptions options;
  private HubControllers controllers;

  DrpcHub(String schedulingInterval) {
    this(schedulingInterval, OPTIONS);
  }

  DrpcHub(String schedulingInterval, HubOptions options) {
    this.options = options;
    server = MockApi.server();
    client = server.createClient();
    for (String ns : List.of(EAST, WEST, S3Site.SECRET_NAMESPACE)) {
      MockApi.namespace(client, ns);
    }
    MockApi.s3Secret(client, eastS3);
    MockApi.s3Secret(client, westS3);
    for (String c : List.of(EAST, WEST)) {
      ManagedCluster mc = new ManagedCluster();
      mc.getMetadata().setName(c);
      client.resource(mc).create();
      setAvailable(c, true);
      DRCluster cluster = new DRCluster();
      cluster.getMetadata().setName(c);
      DRClusterSpec spec = new DRClusterSpec();
      spec.setRegion(schedulingInterval.isEmpty() ? "metro" : c);
      spec.setS3ProfileName("s3-" + c);
      spec.setCidrs(List.of(c.equals(EAST) ? "10.1.0.0/16" : "10.2.0.0/16"));
      cluster.setSpec(spec);
      client.resource(cluster).create();
    }
    DRPolicy policy = new DRPolicy();
    policy.getMetadata().setName(POLICY);
    DRPolicySpec spec = new DRPolicySpec();
    spec.setSchedulingInterval(schedulingInterval);
    spec.setDrClusters(List.of(EAST, WEST));
    spec.setReplicationClassSelector(
        new LabelSelectorBuilder().addToMatchLabels("class", "replcert").build());
    policy.setSpec(spec);
    client.resource(policy).create();
    workInformer = client.resources(ManifestWork.class).inAnyNamespace().inform(new WorkRecorder());
    drpcInformer =
        client.resources(DRPlacementControl.class).inAnyNamespace().inform(new DrpcRecorder());
    player = new ManagedClustersPlayer(client, List.of(EAST, WEST));
    startControllers();
    until(
        "DRPolicy validated",
        () -> client.resources(DRPolicy.class).withName(POLICY).get(),
        p ->
            assertThat(
                    p.getStatus() != null
                        && Conditions.is(p.getStatus().getConditions(), "Validated", "True", null))
                .as("policy status %s", p.getStatus())
                .isTrue());
  }

  void startControllers() {
    controllers =
        HubControllers.start(
            client,
            S3Profiles.of(List.of(eastS3.profile(), westS3.profile())),
            S3Site.SECRET_NAMESPACE,
            options);
  }

  void stopControllers() {
    controllers.close();
  }

  /** A cluster going away or coming back: its ManagedCluster condition and its agents. */
  void setReachable(String cluster, boolean reachable) {
    player.of(cluster).reachable = reachable;
    setAvailable(cluster, reachable);
  }

  private void setAvailable(String cluster, boolean available) {
    client
        .resources(ManagedCluster.class)
        .withName(cluster)
        .editStatus(
            mc -> {
              ManagedClusterStatus status = new ManagedClusterStatus();
              status.setConditions(
                  List.of(
                      new ConditionBuilder()
                          .withType("ManagedClusterConditionAvailable")
                          .withStatus(available ? "True" : "Unknown")
                          .withReason(available ? "ManagedClusterAvailable" : "ManagedClusterLeaseUpdateStopped")
                          .withMessage(available ? "Managed cluster is available" : "Registration agent stopped updating its lease.")
                          .withLastTransitionTime(Instant.now().toString())
                          .build()));
              mc.setStatus(status);
              return mc;
            });
  }

  /** An application namespace with its Placement and a DRPC preferring {@code preferred}. */
  DRPlacementControl createApp(String namespace, String preferred) {
    MockApi.namespace(client, namespace);
    Placement placement = new Placement();
    placement.getMetadata().setName(namespace + "-placement");
    placement.getMetadata().setNamespace(namespace);
    PlacementSpec ps = new PlacementSpec();
    ps.setNumberOfClusters(1);
    placement.setSpec(ps);
    client.resource(placement).create();
    DRPlacementControl drpc = new DRPlacementControl();
    drpc.getMetadata().setName(namespace + "-drpc");
    drpc.getMetadata().setNamespace(namespace);
    DRPlacementControlSpec spec = new DRPlacementControlSpec();
    spec.setPlacementRef(
        new ObjectReferenceBuilder()
            .withKind("Placement")
            .withName(namespace + "-placement")
            .build());
    spec.setDrPolicyRef(new ObjectReferenceBuilder().withName(POLICY).build());
    spec.setPvcSelector(new LabelSelectorBuilder().addToMatchLabels("app", namespace).build());
    spec.setPreferredCluster(preferred);
    drpc.setSpec(spec);
    return client.resource(drpc).create();
  }

  DRPlacementControl drpc(String namespace) {
    return client
        .resources(DRPlacementControl.class)
        .inNamespace(namespace)
        .withName(namespace + "-drpc")
        .get();
  }

  void editDrpc(String namespace, Consumer<DRPlacementControlSpec> change) {
    for (int attempt = 1; ; attempt++) {
      try {
        client
            .resources(DRPlacementControl.class)
            .inNamespace(namespace)
            .withName(namespace + "-drpc")
            .edit(
                d -> {
                  change.accept(d.getSpec());
                  return d;
                });
        return;
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409 || attempt == 5) {
          throw e;
        }
      }
    }
  }

  static String vrgWork(String namespace) {
    return namespace + "-drpc-" + namespace + "-vrg-mw";
  }

  static String nsWork(String namespace) {
    return namespace + "-drpc-" + namespace + "-ns-mw";
  }

  static String vrgView(String namespace) {
    return namespace + "-drpc-" + namespace + "-vrg-mcv";
  }

  ManifestWork work(String cluster, String name) {
    return client.resources(ManifestWork.class).inNamespace(cluster).withName(name).get();
  }

  /** The VRG the app's work delivers to {@code cluster}, or null. */
  VolumeReplicationGroup deliveredVrg(String cluster, String namespace) {
    ManifestWork w = work(cluster, vrgWork(namespace));
    if (w == null) {
      return null;
    }
    return client
        .getKubernetesSerialization()
        .convertValue(w.getSpec().getWorkload().getManifests().get(0), VolumeReplicationGroup.class);
  }

  ManagedClusterView view(String cluster, String name) {
    return client.resources(ManagedClusterView.class).inNamespace(cluster).withName(name).get();
  }

  /** The cluster the app's PlacementDecision names ("" when cleared, null when none). */
  String decision(String namespace) {
    List<PlacementDecision> ds =
        client
            .resources(PlacementDecision.class)
            .inNamespace(namespace)
            .withLabel("cluster.open-cluster-management.io/placement", namespace + "-placement")
            .list()
            .getItems();
    if (ds.isEmpty()) {
      return null;
    }
    var d = ds.get(0).getStatus();
    return d == null || d.getDecisions() == null || d.getDecisions().isEmpty()
        ? ""
        : d.getDecisions().get(0).getClusterName();
  }

  DRPlacementControl waitFor(String namespace, String phase, String progression) {
    return until(
        namespace + " " + phase + "/" + progression,
        () -> drpc(namespace),
        d -> {
          assertThat(d.getStatus()).as("status").isNotNull();
          assertThat(d.getStatus().getPhase() + "/" + d.getStatus().getProgression())
              .as("DRPC status %s", d.getStatus())
              .isEqualTo(phase + "/" + progression);
        });
  }

  /** The app's VRG-work events in order. */
  List<WorkEvent> workEvents(String namespace) {
    synchronized (workEvents) {
      return workEvents.stream().filter(e -> e.work().equals(vrgWork(namespace))).toList();
    }
  }

  /** The most primary VRG works the app ever had at one time, replaying its work events. */
  int mostPrimaries(String namespace) {
    Map<String, Boolean> primary = new HashMap<>();
    int most = 0;
    for (WorkEvent e : workEvents(namespace)) {
      primary.put(e.cluster(), "primary".equals(e.state()));
      most = Math.max(most, (int) primary.values().stream().filter(b -> b).count());
    }
    return most;
  }

  int primariesNow(String namespace) {
    int n = 0;
    for (String c : List.of(EAST, WEST)) {
      VolumeReplicationGroup v = deliveredVrg(c, namespace);
      if (v != null && Vrgs.primarySpec(v)) {
        n++;
      }
    }
    return n;
  }

  List<Seen> history(String namespace) {
    synchronized (drpcHistory) {
      return List.copyOf(drpcHistory.getOrDefault(namespace, List.of()));
    }
  }

  private final class WorkRecorder implements ResourceEventHandler<ManifestWork> {
    @Override
    public void onAdd(ManifestWork w) {
      record(w, false);
    }

    @Override
    public void onUpdate(ManifestWork old, ManifestWork w) {
      record(w, false);
    }

    @Override
    public void onDelete(ManifestWork w, boolean unknown) {
      record(w, true);
    }

    private void record(ManifestWork w, boolean deleted) {
      if (!w.getMetadata().getName().endsWith("-vrg-mw")) {
        return;
      }
      VolumeReplicationGroup v =
          client
              .getKubernetesSerialization()
              .convertValue(w.getSpec().getWorkload().getManifests().get(0), VolumeReplicationGroup.class);
      synchronized (workEvents) {
        workEvents.add(
            new WorkEvent(
                w.getMetadata().getNamespace(),
                w.getMetadata().getName(),
                deleted ? null : v.getSpec().getReplicationState().getValue(),
                Boolean.TRUE.equals(v.getSpec().getPrepareForFinalSync()),
                Boolean.TRUE.equals(v.getSpec().getRunFinalSync())));
      }
    }
  }

  private final class DrpcRecorder implements ResourceEventHandler<DRPlacementControl> {
    @Override
    public void onAdd(DRPlacementControl d) {
      record(d);
    }

    @Override
    public void onUpdate(DRPlacementControl old, DRPlacementControl d) {
      record(d);
    }

    @Override
    public void onDelete(DRPlacementControl d, boolean unknown) {}

    private void record(DRPlacementControl d) {
      if (d.getStatus() == null || d.getStatus().getPhase() == null) {
        return;
      }
      Seen s = new Seen(d.getStatus().getPhase(), d.getStatus().getProgression());
      synchronized (drpcHistory) {
        List<Seen> h = drpcHistory.computeIfAbsent(d.getMetadata().getNamespace(), k -> new ArrayList<>());
        if (h.isEmpty() || !h.get(h.size() - 1).equals(s)) {
          h.add(s);
        }
      }
    }
  }

  @Override
  public void close() {
    try {
      player.close();
      controllers.close();
      workInformer.close();
      drpcInformer.close();
    } finally {
      client.close();
      try {
        server.destroy();
      } catch (IllegalStateException e) {
        // a loaded machine can keep the mock's event loop from closing in time: teardown only
      }
      eastS3.close();
      westS3.close();
    }
  }
}
