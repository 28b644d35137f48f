package dev.replcert.orchestrator.drpc;

import dev.replcert.api.k8s.Ramen.DrClusterCondition;
import dev.replcert.api.k8s.Ramen.Phase;
import dev.replcert.api.k8s.Ramen.Progression;
import dev.replcert.orchestrator.hub.ManagedClusterViews;
import dev.replcert.orchestrator.hub.ManagedClusterViews.Found;
import dev.replcert.orchestrator.hub.ManagedClusterViews.Missing;
import dev.replcert.orchestrator.hub.ManagedClusterViews.Seen;
import dev.replcert.orchestrator.hub.ManifestWorks;
import dev.replcert.orchestrator.k8s.Conditions;
import dev.replcert.orchestrator.vrg.VrgNames;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.open_cluster_management.cluster.v1.ManagedCluster;
import io.open_cluster_management.cluster.v1beta1.Placement;
import io.open_cluster_management.view.v1beta1.managedclusterviewspec.Scope;
import io.open_cluster_management.work.v1.ManifestWork;
import io.openshift.ramendr.v1alpha1.DRCluster;
import io.openshift.ramendr.v1alpha1.DRPlacementControl;
import io.openshift.ramendr.v1alpha1.DRPlacementControlSpec;
import io.openshift.ramendr.v1alpha1.DRPolicy;
import io.openshift.ramendr.v1alpha1.VolumeReplicationGroup;
import io.openshift.ramendr.v1alpha1.VolumeReplicationGroupSpec;
import io.openshift.ramendr.v1alpha1.VolumeReplicationGroupSpec.ReplicationState;
import io.openshift.ramendr.v1alpha1.volumereplicationgroupspec.Async;
import io.openshift.ramendr.v1alpha1.volumereplicationgroupspec.Sync;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;

/**
 * One reconcile of a DRPlacementControl: reads everything afresh (the DRPC, its DRPolicy and
 * DRClusters, the Placement's decision, each cluster's VRG work, what each cluster's view reports
 * and whether the ManagedCluster is available), then takes at most one step of Ramen's state
 * machine for the DRPC's action. The works and views are the state, so killing the controller
 * between any two writes and starting it again continues where it stopped.
 *
 * <p>Ordering guarantees: a VRG work is made primary only after every other cluster's work is
 * secondary (for Failover the other works are demoted first, in the same pass, whether or not
 * their cluster answers); for Relocate only after every VRG reports Secondary and the others
 * DataProtected. The placement moves to a cluster only once its VRG is ready as primary.
 */
final class Pass {

  private final KubernetesClient hub;
  private final ManifestWorks works;
  private final ManagedClusterViews views;
  private final Placements placements;

  final DRPlacementControl drpc;
  final DRPolicy policy;
  final List<String> clusters;
  final String vrgNamespace;
  final Placement placement;
  final String decision;
  private final Map<String, DRCluster> drClusters = new HashMap<>();
  private final Map<String, VolumeReplicationGroup> delivered = new LinkedHashMap<>();
  private final Map<String, Seen<VolumeReplicationGroup>> seen = new LinkedHashMap<>();
  private final Map<String, Boolean> available = new HashMap<>();
  /** Whether this pass wrote a work or the decision. */
  private boolean wrote;

  private Pass(
      KubernetesClient hub,
      ManifestWorks works,
      ManagedClusterViews views,
      Placements placements,
      DRPlacementControl drpc,
      DRPolicy policy,
      Placement placement) {
    this.hub = hub;
    this.works = works;
    this.views = views;
    this.placements = placements;
    this.drpc = drpc;
    this.policy = policy;
    this.clusters = List.copyOf(policy.getSpec().getDrClusters());
    this.vrgNamespace = drpc.getMetadata().getNamespace();
    this.placement = placement;
    this.decision = placements.decided(placement);
    for (String c : clusters) {
      DRCluster dc = hub.resources(DRCluster.class).withName(c).get();
      if (dc != null) {
        drClusters.put(c, dc);
      }
      delivered.put(
          c,
          works
              .find(c, DrpcNames.vrgWork(name(), vrgNamespace))
              .flatMap(w -> works.manifest(w, DrpcNames.VRG_KIND, VolumeReplicationGroup.class))
              .orElse(null));
      seen.put(
          c,
          views.view(
              c,
              DrpcNames.vrgView(name(), vrgNamespace),
              scope(name(), vrgNamespace),
              null,
              ownerAnnotations(drpc),
              VolumeReplicationGroup.class));
      ManagedCluster mc = hub.resources(ManagedCluster.class).withName(c).get();
      available.put(
          c,
          mc != null
              && mc.getStatus() != null
              && Conditions.is(
                  mc.getStatus().getConditions(), DrpcNames.MANAGED_CLUSTER_AVAILABLE, "True", null));
    }
  }

  /** Why a pass cannot even start (no policy, no placement). */
  static final class NotReady extends Exception {
    NotReady(String message) {
      super(message);
    }
  }

  static Pass load(
      KubernetesClient hub,
      ManifestWorks works,
      ManagedClusterViews views,
      Placements placements,
      DRPlacementControl drpc)
      throws NotReady {
    DRPlacementControlSpec spec = drpc.getSpec();
    if (spec == null || spec.getDrPolicyRef() == null || spec.getPlacementRef() == null) {
      throw new NotReady("spec.drPolicyRef and spec.placementRef are required");
    }
    DRPolicy policy =
        hub.resources(DRPolicy.class).withName(spec.getDrPolicyRef().getName()).get();
    if (policy == null || policy.getSpec() == null || policy.getSpec().getDrClusters() == null) {
      throw new NotReady("DRPolicy " + spec.getDrPolicyRef().getName() + " not found");
    }
    String placementNs =
        spec.getPlacementRef().getNamespace() == null || spec.getPlacementRef().getNamespace().isEmpty()
            ? drpc.getMetadata().getNamespace()
            : spec.getPlacementRef().getNamespace();
    if (!placementNs.equals(drpc.getMetadata().getNamespace())) {
      throw new NotReady(
          "referenced Placement namespace ("
              + placementNs
              + ") differs from DRPlacementControl resource namespace ("
              + drpc.getMetadata().getNamespace()
              + ")");
    }
    Placement placement = placements.placement(placementNs, spec.getPlacementRef().getName());
    if (placement == null) {
      throw new NotReady("Placement " + spec.getPlacementRef().getName() + " not found");
    }
    placements.own(placement, drpc.getMetadata().getName(), drpc.getMetadata().getNamespace());
    return new Pass(hub, works, views, placements, drpc, policy, placement);
  }

  static Map<String, String> ownerAnnotations(DRPlacementControl drpc) {
    return Map.of(
        DrpcNames.DRPC_NAME_ANNOTATION, drpc.getMetadata().getName(),
        DrpcNames.DRPC_NAMESPACE_ANNOTATION, drpc.getMetadata().getNamespace());
  }

  /** kind VolumeReplicationGroup, ramendr.openshift.io/v1alpha1, named as the DRPC. */
  static Scope scope(String name, String namespace) {
    Scope scope = new Scope();
    scope.setKind(DrpcNames.VRG_KIND);
    scope.setApiGroup(DrpcNames.RAMEN_GROUP);
    scope.setVersion(DrpcNames.RAMEN_VERSION);
    scope.setName(name);
    scope.setNamespace(namespace);
    return scope;
  }

  String name() {
    return drpc.getMetadata().getName();
  }

  /** The DRPolicy's Validated condition is True. */
  boolean policyValidated() {
    return policy.getStatus() != null
        && Conditions.is(policy.getStatus().getConditions(), "Validated", "True", null);
  }

  boolean metro() {
    String interval = policy.getSpec().getSchedulingInterval();
    return interval == null || interval.isEmpty();
  }

  // ---------------------------------------------------------------- facts

  /** The VRG the cluster's work delivers, or null when there is no work. */
  VolumeReplicationGroup delivered(String cluster) {
    return delivered.get(cluster);
  }

  /**
   * A cluster answers when its ManagedCluster is Available and its view does not report an error
   * (a "not found" answer is an answer).
   */
  boolean reachable(String cluster) {
    if (!available.getOrDefault(cluster, false)) {
      return false;
    }
    Seen<VolumeReplicationGroup> s = seen.get(cluster);
    return !(s instanceof Missing<VolumeReplicationGroup> m) || m.message().contains("not found");
  }

  /** The VRG as the cluster last reported it, only while the cluster answers; else null. */
  VolumeReplicationGroup observed(String cluster) {
    return reachable(cluster) && seen.get(cluster) instanceof Found<VolumeReplicationGroup> f
        ? f.object()
        : null;
  }

  /** The cluster answered and has no VRG. */
  boolean absent(String cluster) {
    return reachable(cluster) && seen.get(cluster) instanceof Missing<VolumeReplicationGroup>;
  }

  boolean fenced(String cluster) {
    DRCluster dc = drClusters.get(cluster);
    return dc != null
        && dc.getStatus() != null
        && Conditions.is(
            dc.getStatus().getConditions(),
            DrClusterCondition.FENCED.wire(),
            "True",
            dc.getMetadata().getGeneration());
  }

  List<String> others(String cluster) {
    return clusters.stream().filter(c -> !c.equals(cluster)).toList();
  }

  DRPlacementControlSpec.Action action() {
    return drpc.getSpec().getAction();
  }

  // ---------------------------------------------------------------- writes

  /**
   * Delivers the Namespace work (delete option Orphan: the namespace outlives the DRPC, as in
   * Ramen) and the VRG work for {@code cluster}; true when something was written.
   */
  boolean deliver(String cluster, boolean primary, boolean prepareFinalSync, boolean runFinalSync) {
    Map<String, String> annotations = ownerAnnotations(drpc);
    boolean wrote =
        works.applyOrphanedOnDelete(
            cluster,
            DrpcNames.namespaceWork(name(), vrgNamespace),
            Map.of(),
            annotations,
            List.<HasMetadata>of(
                new NamespaceBuilder().withNewMetadata().withName(vrgNamespace).endMetadata().build()));
    wrote |=
        works.apply(
            cluster,
            DrpcNames.vrgWork(name(), vrgNamespace),
            DrpcNames.VRG_WORK_LABELS,
            annotations,
            List.<HasMetadata>of(vrg(primary, prepareFinalSync, runFinalSync)));
    if (wrote) {
      // what this pass believes the work now delivers
      delivered.put(cluster, vrg(primary, prepareFinalSync, runFinalSync));
      this.wrote = true;
    }
    return wrote;
  }

  boolean decide(String cluster) {
    boolean decided = placements.decide(placement, cluster);
    wrote |= decided;
    return decided;
  }

  /** Whether this pass wrote a work or the decision so far. */
  boolean wrote() {
    return wrote;
  }

  /** The VRG Ramen's generateVRG makes for this DRPC. */
  VolumeReplicationGroup vrg(boolean primary, boolean prepareFinalSync, boolean runFinalSync) {
    VolumeReplicationGroup vrg = new VolumeReplicationGroup();
    vrg.getMetadata().setName(name());
    vrg.getMetadata().setNamespace(vrgNamespace);
    // Ramen copies the DRPC's consistency-group switch to its VRGs
    Map<String, String> annotations = drpc.getMetadata().getAnnotations();
    if (annotations != null && "true".equals(annotations.get(VrgNames.CG_ENABLED_ANNOTATION))) {
      vrg.getMetadata().setAnnotations(Map.of(VrgNames.CG_ENABLED_ANNOTATION, "true"));
    }
    VolumeReplicationGroupSpec spec = new VolumeReplicationGroupSpec();
    spec.setPvcSelector(drpc.getSpec().getPvcSelector());
    spec.setReplicationState(primary ? ReplicationState.PRIMARY : ReplicationState.SECONDARY);
    spec.setS3Profiles(s3Profiles());
    if (metro()) {
      spec.setSync(new Sync());
    } else {
      Async async = new Async();
      async.setSchedulingInterval(policy.getSpec().getSchedulingInterval());
      async.setReplicationClassSelector(policy.getSpec().getReplicationClassSelector());
      async.setVolumeSnapshotClassSelector(policy.getSpec().getVolumeSnapshotClassSelector());
      spec.setAsync(async);
    }
    if (action() != null) {
      spec.setAction(VolumeReplicationGroupSpec.Action.valueOf(action().name()));
    }
    if (prepareFinalSync) {
      spec.setPrepareForFinalSync(true);
    }
    if (runFinalSync) {
      spec.setRunFinalSync(true);
    }
    vrg.setSpec(spec);
    return vrg;
  }

  /** AvailableS3Profiles: the s3ProfileName of every DRCluster of the policy not being deleted. */
  List<String> s3Profiles() {
    TreeSet<String> profiles = new TreeSet<>();
    for (DRCluster dc : drClusters.values()) {
      if (dc.getMetadata().getDeletionTimestamp() == null
          && dc.getSpec() != null
          && dc.getSpec().getS3ProfileName() != null) {
        profiles.add(dc.getSpec().getS3ProfileName());
      }
    }
    return new ArrayList<>(profiles);
  }

  /** Ramen's clusterForVRGStatus: whose VRG the DRPC status reports. */
  Optional<String> statusCluster() {
    String home;
    if (action() == null || delivered.values().stream().allMatch(Objects::isNull)) {
      home =
          action() == DRPlacementControlSpec.Action.FAILOVER
              ? drpc.getSpec().getFailoverCluster()
              : drpc.getSpec().getPreferredCluster();
    } else if (action() == DRPlacementControlSpec.Action.FAILOVER) {
      home = decision != null ? decision : drpc.getSpec().getFailoverCluster();
    } else {
      String target = drpc.getSpec().getPreferredCluster();
      if (target != null && Vrgs.primarySpec(delivered.get(target))) {
        home = target;
      } else {
        home =
            clusters.stream()
                .filter(c -> !c.equals(target))
                .filter(c -> Vrgs.primarySpec(delivered.get(c)))
                .findFirst()
                .orElse(clusters.stream().filter(c -> !c.equals(target)).findFirst().orElse(null));
      }
    }
    return Optional.ofNullable(home == null || home.isEmpty() ? null : home);
  }

  /** The step reporting the same phase/progression as now, for waits that change nothing. */
  Step keep(String message) {
    return new Step(null, null, null, false, message);
  }

  Phase reportedPhase() {
    String p = drpc.getStatus() == null ? null : drpc.getStatus().getPhase();
    return p == null || p.isEmpty() ? null : Phase.parse(p);
  }

  Progression reportedProgression() {
    String p = drpc.getStatus() == null ? null : drpc.getStatus().getProgression();
    return p == null || p.isEmpty() ? null : Progression.parse(p);
  }

  boolean peerReadyReported() {
    return drpc.getStatus() != null
        && Conditions.is(drpc.getStatus().getConditions(), "PeerReady", "True", null);
  }

  /** PeerReady True/Success written for the DRPC's current generation. */
  boolean peerReadySucceeded() {
    return drpc.getStatus() != null
        && Conditions.find(drpc.getStatus().getConditions(), "PeerReady")
            .filter(c -> "True".equals(c.getStatus()))
            .filter(c -> DrpcNames.REASON_SUCCESS.equals(c.getReason()))
            .filter(c -> Objects.equals(c.getObservedGeneration(), drpc.getMetadata().getGeneration()))
            .isPresent();
  }

  /** All VRG works of this DRPC as ManifestWorks (for deletion). */
  Optional<ManifestWork> work(String cluster) {
    return works.find(cluster, DrpcNames.vrgWork(name(), vrgNamespace));
  }
}
