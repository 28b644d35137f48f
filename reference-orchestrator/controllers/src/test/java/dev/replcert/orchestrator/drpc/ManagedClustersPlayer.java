package dev.replcert.orchestrator.drpc;

import dev.replcert.api.k8s.Ocm;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.open_cluster_management.view.v1beta1.ManagedClusterView;
import io.open_cluster_management.view.v1beta1.ManagedClusterViewStatus;
import io.open_cluster_management.work.v1.ManifestWork;
import io.openshift.ramendr.v1alpha1.VolumeReplicationGroup;
import io.openshift.ramendr.v1alpha1.VolumeReplicationGroupSpec;
import io.openshift.ramendr.v1alpha1.VolumeReplicationGroupStatus;
import io.openshift.ramendr.v1alpha1.volumereplicationgroupstatus.ProtectedPVCs;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Plays, for each managed cluster, OCM's work agent, the view agent and Ramen's VRG controller,
 * from the hub only: each VRG ManifestWork in a cluster's namespace keeps a simulated VRG (its
 * generation moves when the delivered spec changes, its status follows the spec after {@link
 * Behaviour#delayMillis} as a well-behaved VRG controller would, unless the test says otherwise)
 * and every VRG view in that namespace is answered with it (Processing True
 * GetResourceProcessing and the VRG as result, or False GetResourceFailed "... not found"), the
 * shapes of the lab's ManagedClusterViewAgent. A cluster marked unreachable is frozen: works are
 * not applied and views keep their last answer.
 */
final class ManagedClustersPlayer implements AutoCloseable {

  /** What a cluster's simulated VRG controller reports; tests change it while running. */
  static final class Behaviour {
    volatile boolean reachable = true;
    /** Primary: DataReady/ClusterDataReady True and state Primary; else DataReady Progressing. */
    volatile boolean primaryReady = true;
    /** Secondary: DataProtected True; else False/Progressing. */
    volatile boolean secondaryProtected = true;
    volatile ZonedDateTime lastGroupSyncTime =
        ZonedDateTime.of(2026, 12, 1, 10, 0, 0, 0, ZoneOffset.UTC);
    volatile String lastGroupSyncDuration = "12s";
    volatile Long lastGroupSyncBytes = 4096L;
    volatile long delayMillis = 150;
  }

  private static final class Sim {
    String specJson;
    VolumeReplicationGroupSpec spec;
    long generation;
    long changedAt;
    VolumeReplicationGroupStatus status;
  }

  private final KubernetesClient hub;
  private final KubernetesSerialization json;
  private final List<String> clusters;
  final Map<String, Behaviour> behaviour = new ConcurrentHashMap<>();
  private final Map<String, Sim> sims = new ConcurrentHashMap<>();
  private final Map<String, String> answered = new ConcurrentHashMap<>();
  /** Every VRG the simulated clusters deleted, as cluster/namespace/name. */
  final Set<String> deletedVrgs = ConcurrentHashMap.newKeySet();
  private final ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor();

  ManagedClustersPlayer(KubernetesClient hub, List<String> clusters) {
    this.hub = hub;
    this.json = hub.getKubernetesSerialization();
    this.clusters = clusters;
    clusters.forEach(c -> behaviour.put(c, new Behaviour()));
    loop.scheduleWithFixedDelay(this::tick, 100, 100, TimeUnit.MILLISECONDS);
  }

  Behaviour of(String cluster) {
    return behaviour.get(cluster);
  }

  /** The simulated VRG's status on a cluster (null when there is no VRG). */
  VolumeReplicationGroupStatus status(String cluster, String namespace, String name) {
    Sim sim = sims.get(cluster + "/" + namespace + "/" + name);
    return sim == null ? null : sim.status;
  }

  private void tick() {
    try {
      for (String cluster : clusters) {
        if (behaviour.get(cluster).reachable) {
          play(cluster);
        }
      }
    } catch (KubernetesClientException | IllegalStateException e) {
      // the hub is going away at the end of a test, or a write raced: next tick
    }
  }

  private void play(String cluster) {
    Behaviour b = behaviour.get(cluster);
    long now = System.currentTimeMillis();
    Set<String> present = new HashSet<>();
    for (ManifestWork work :
        hub.resources(ManifestWork.class).inNamespace(cluster).list().getItems()) {
      if (work.getSpec() == null || work.getSpec().getWorkload() == null) {
        continue;
      }
      for (GenericKubernetesResource m : work.getSpec().getWorkload().getManifests()) {
        if (!"VolumeReplicationGroup".equals(m.getKind())) {
          continue;
        }
        VolumeReplicationGroup vrg = json.convertValue(m, VolumeReplicationGroup.class);
        String key =
            cluster + "/" + vrg.getMetadata().getNamespace() + "/" + vrg.getMetadata().getName();
        present.add(key);
        Sim sim = sims.computeIfAbsent(key, k -> new Sim());
        String specJson = json.asJson(vrg.getSpec());
        if (!specJson.equals(sim.specJson)) {
          sim.specJson = specJson;
          sim.spec = vrg.getSpec();
          sim.generation++;
          sim.changedAt = now;
        }
        if (now - sim.changedAt >= b.delayMillis) {
          sim.status = status(sim, b);
        }
      }
    }
    for (String key : List.copyOf(sims.keySet())) {
      if (key.startsWith(cluster + "/") && !present.contains(key)) {
        sims.remove(key);
        deletedVrgs.add(key);
      }
    }
    for (ManagedClusterView view :
        hub.resources(ManagedClusterView.class).inNamespace(cluster).list().getItems()) {
      var scope = view.getSpec() == null ? null : view.getSpec().getScope();
      if (scope == null || !"VolumeReplicationGroup".equals(scope.getKind())) {
        continue;
      }
      String key = cluster + "/" + scope.getNamespace() + "/" + scope.getName();
      Sim sim = sims.get(key);
      GenericKubernetesResource result = null;
      if (sim != null) {
        VolumeReplicationGroup vrg = new VolumeReplicationGroup();
        vrg.getMetadata().setName(scope.getName());
        vrg.getMetadata().setNamespace(scope.getNamespace());
        vrg.getMetadata().setGeneration(sim.generation);
        vrg.getMetadata().setResourceVersion(String.valueOf(sim.generation));
        vrg.setSpec(sim.spec);
        vrg.setStatus(sim.status);
        result = json.convertValue(vrg, GenericKubernetesResource.class);
      }
      String answer = view.getMetadata().getGeneration() + ":" + json.asJson(result);
      String viewKey = cluster + "/" + view.getMetadata().getName();
      if (answer.equals(answered.get(viewKey)) && view.getStatus() != null) {
        continue;
      }
      write(view, result, scope.getName(), scope.getNamespace());
      answered.put(viewKey, answer);
    }
  }

  private static VolumeReplicationGroupStatus status(Sim sim, Behaviour b) {
    VolumeReplicationGroupStatus s = new VolumeReplicationGroupStatus();
    long g = sim.generation;
    List<io.fabric8.kubernetes.api.model.Condition> conditions = new ArrayList<>();
    boolean primary =
        sim.spec.getReplicationState() == VolumeReplicationGroupSpec.ReplicationState.PRIMARY;
    if (primary) {
      conditions.add(c("DataReady", b.primaryReady ? "True" : "False",
          b.primaryReady ? "Ready" : "Progressing", g));
      conditions.add(c("DataProtected", "False", "Replicating", g));
      conditions.add(c("ClusterDataReady", "True", "Restored", g));
      conditions.add(c("ClusterDataProtected", "True", "Uploaded", g));
      s.setState(b.primaryReady ? "Primary" : "Unknown");
      s.setLastGroupSyncTime(b.lastGroupSyncTime);
      s.setLastGroupSyncDuration(b.lastGroupSyncDuration);
      s.setLastGroupSyncBytes(b.lastGroupSyncBytes);
      s.setPrepareForFinalSyncComplete(Boolean.TRUE.equals(sim.spec.getPrepareForFinalSync()));
      s.setFinalSyncComplete(Boolean.TRUE.equals(sim.spec.getRunFinalSync()));
      ProtectedPVCs pvc = new ProtectedPVCs();
      pvc.setName("data");
      pvc.setNamespace("app");
      s.setProtectedPVCs(List.of(pvc));
    } else {
      conditions.add(c("DataReady", "True", "Replicated", g));
      conditions.add(c("DataProtected", b.secondaryProtected ? "True" : "False",
          b.secondaryProtected ? "DataProtected" : "Progressing", g));
      conditions.add(c("ClusterDataReady", "True", "Unused", g));
      s.setState("Secondary");
    }
    s.setConditions(conditions);
    s.setObservedGeneration(g);
    return s;
  }

  private static io.fabric8.kubernetes.api.model.Condition c(
      String type, String status, String reason, long generation) {
    return new ConditionBuilder()
        .withType(type)
        .withStatus(status)
        .withReason(reason)
        .withMessage(type + " " + reason)
        .withObservedGeneration(generation)
        .withLastTransitionTime("2026-12-01T10:00:00Z")
        .build();
  }

  private void write(
      ManagedClusterView view, GenericKubernetesResource result, String name, String namespace) {
    hub.resources(ManagedClusterView.class)
        .inNamespace(view.getMetadata().getNamespace())
        .withName(view.getMetadata().getName())
        .editStatus(
            v -> {
              ManagedClusterViewStatus status = new ManagedClusterViewStatus();
              status.setConditions(
                  List.of(
                      new ConditionBuilder()
                          .withType(Ocm.VIEW_CONDITION_PROCESSING)
                          .withStatus(result == null ? "False" : "True")
                          .withReason(result == null ? "GetResourceFailed" : "GetResourceProcessing")
                          .withMessage(
                              result == null
                                  ? "failed to get resource with err: "
                                      + "volumereplicationgroups.ramendr.openshift.io \""
                                      + name + "\" not found in namespace " + namespace
                                  : "Watching resources successfully")
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
    loop.shutdownNow();
    try {
      loop.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
