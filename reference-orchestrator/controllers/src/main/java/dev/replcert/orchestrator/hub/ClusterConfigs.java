package dev.replcert.orchestrator.hub;

import dev.replcert.orchestrator.hub.ManagedClusterViews.Found;
import dev.replcert.orchestrator.hub.ManagedClusterViews.Pending;
import dev.replcert.orchestrator.hub.ManagedClusterViews.Seen;
import dev.replcert.orchestrator.hub.PeerClassFinder.ClusterClasses;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.k8s.storage.snapshot.v1.VolumeSnapshotClass;
import io.open_cluster_management.cluster.v1.ManagedCluster;
import io.open_cluster_management.view.v1beta1.ManagedClusterView;
import io.open_cluster_management.view.v1beta1.managedclusterviewspec.Scope;
import io.openshift.ramendr.v1alpha1.DRClusterConfig;
import io.openshift.ramendr.v1alpha1.DRClusterConfigSpec;
import io.openshift.ramendr.v1alpha1.DRClusterConfigStatus;
import io.openshift.storage.replication.v1alpha1.VolumeGroupReplicationClass;
import io.openshift.storage.replication.v1alpha1.VolumeReplicationClass;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The hub's side of a cluster's DRClusterConfig, as Ramen's: delivered by ManifestWork (named as
 * the DRCluster, {@code spec.clusterID} from the ManagedCluster's {@value #ID_CLAIM} claim), read
 * back with its classes through one ManagedClusterView each, for the DRPolicy's peer classes.
 * Views of classes the config no longer lists are deleted.
 */
final class ClusterConfigs {

  /** The ManagedCluster claim Ramen takes a cluster's identity from. */
  static final String ID_CLAIM = "id.k8s.io";

  /** Marks this orchestrator's DRClusterConfig works and views; the value is the cluster. */
  static final String CLUSTER_LABEL = "replcert.dev/drclusterconfig-of";

  private static final String RAMEN = "ramendr.openshift.io";
  private static final String REPLICATION = "replication.storage.openshift.io";

  /** A class kind the config lists, how its view reads it and the status list naming them. */
  private record Kind<T extends HasMetadata>(
      String abbreviation,
      String group,
      String version,
      String kind,
      Class<T> type,
      Function<DRClusterConfigStatus, List<String>> listed) {}

  private static final Kind<StorageClass> SC =
      new Kind<>("sc", "storage.k8s.io", "v1", "StorageClass", StorageClass.class,
          DRClusterConfigStatus::getStorageClasses);
  private static final Kind<VolumeSnapshotClass> VSC =
      new Kind<>("vsc", "snapshot.storage.k8s.io", "v1", "VolumeSnapshotClass", VolumeSnapshotClass.class,
          DRClusterConfigStatus::getVolumeSnapshotClasses);
  private static final Kind<VolumeReplicationClass> VRC =
      new Kind<>("vrc", REPLICATION, "v1alpha1", "VolumeReplicationClass", VolumeReplicationClass.class,
          DRClusterConfigStatus::getVolumeReplicationClasses);
  private static final Kind<VolumeGroupReplicationClass> VGRC =
      new Kind<>("vgrc", REPLICATION, "v1alpha1", "VolumeGroupReplicationClass", VolumeGroupReplicationClass.class,
          DRClusterConfigStatus::getVolumeGroupReplicationClasses);

  private final KubernetesClient hub;
  private final ManifestWorks works;
  private final ManagedClusterViews views;

  ClusterConfigs(KubernetesClient hub) {
    this.hub = hub;
    this.works = new ManifestWorks(hub);
    this.views = new ManagedClusterViews(hub);
  }

  /**
   * Delivers the cluster's DRClusterConfig. False while its ManagedCluster reports no {@value
   * #ID_CLAIM} claim yet (Ramen waits for it too); true when delivered, or when no ManagedCluster
   * has the DRCluster's name (nothing to deliver to).
   */
  boolean deliver(String cluster) {
    ManagedCluster managed = hub.resources(ManagedCluster.class).withName(cluster).get();
    if (managed == null) {
      return true;
    }
    Optional<String> id = claim(managed);
    if (id.isEmpty()) {
      return false;
    }
    DRClusterConfig config = new DRClusterConfig();
    config.getMetadata().setName(cluster);
    DRClusterConfigSpec spec = new DRClusterConfigSpec();
    spec.setClusterID(id.get());
    config.setSpec(spec);
    works.apply(cluster, workName(cluster), Map.of(CLUSTER_LABEL, cluster), List.of(config));
    return true;
  }

  /** Deletes the work (OCM deletes the config) and the views. */
  void remove(String cluster) {
    works.delete(cluster, workName(cluster));
    hub.resources(ManagedClusterView.class).inNamespace(cluster).withLabel(CLUSTER_LABEL, cluster).delete();
  }

  /**
   * The cluster's listed classes, once its DRClusterConfig and every listed class have been read
   * through their views; empty while one is not answered yet. A class gone meanwhile is left out.
   */
  Optional<ClusterClasses> read(String cluster) {
    Seen<DRClusterConfig> seen = views.view(cluster, viewName(cluster, "drcconfig", cluster),
        scope(RAMEN, "v1alpha1", "DRClusterConfig", cluster), Map.of(CLUSTER_LABEL, cluster), DRClusterConfig.class);
    if (!(seen instanceof Found<DRClusterConfig> found)
        || found.object().getStatus() == null
        || found.object().getSpec() == null) {
      return Optional.empty();
    }
    DRClusterConfigStatus status = found.object().getStatus();
    Set<String> wanted = new HashSet<>();
    wanted.add(viewName(cluster, "drcconfig", cluster));
    Optional<List<StorageClass>> sc = classes(cluster, SC, status, wanted);
    Optional<List<VolumeSnapshotClass>> vsc = classes(cluster, VSC, status, wanted);
    Optional<List<VolumeReplicationClass>> vrc = classes(cluster, VRC, status, wanted);
    Optional<List<VolumeGroupReplicationClass>> vgrc = classes(cluster, VGRC, status, wanted);
    prune(cluster, wanted);
    if (sc.isEmpty() || vsc.isEmpty() || vrc.isEmpty() || vgrc.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new ClusterClasses(found.object().getSpec().getClusterID(), sc.get(), vsc.get(), vrc.get(),
        vgrc.get()));
  }

  /** The listed classes of one kind as their views report them; empty while one is pending. */
  private <T extends HasMetadata> Optional<List<T>> classes(
      String cluster, Kind<T> kind, DRClusterConfigStatus status, Set<String> wanted) {
    List<String> names = kind.listed().apply(status);
    List<T> read = new ArrayList<>();
    boolean pending = false;
    for (String name : names == null ? List.<String>of() : names) {
      String view = viewName(cluster, kind.abbreviation(), name);
      wanted.add(view);
      Seen<T> seen = views.view(cluster, view, scope(kind.group(), kind.version(), kind.kind(), name),
          Map.of(CLUSTER_LABEL, cluster), kind.type());
      if (seen instanceof Found<T> f) {
        read.add(f.object());
      } else if (seen instanceof Pending<T>) {
        pending = true;
      }
    }
    return pending ? Optional.empty() : Optional.of(read);
  }

  private void prune(String cluster, Set<String> wanted) {
    for (ManagedClusterView view :
        hub.resources(ManagedClusterView.class).inNamespace(cluster).withLabel(CLUSTER_LABEL, cluster).list()
            .getItems()) {
      if (!wanted.contains(view.getMetadata().getName())) {
        views.delete(cluster, view.getMetadata().getName());
      }
    }
  }

  static String workName(String cluster) {
    return cluster + "-drclusterconfig-mw";
  }

  /** Ramen's view naming, {@code <name>-<type>-mcv}, prefixed by the cluster; at most 253 characters. */
  private static String viewName(String cluster, String type, String name) {
    String full = cluster + "-" + name + "-" + type + "-mcv";
    return full.length() <= 253 ? full : full.substring(0, 253);
  }

  private static Scope scope(String group, String version, String kind, String name) {
    Scope scope = new Scope();
    scope.setApiGroup(group);
    scope.setVersion(version);
    scope.setKind(kind);
    scope.setName(name);
    return scope;
  }

  private static Optional<String> claim(ManagedCluster managed) {
    if (managed == null || managed.getStatus() == null || managed.getStatus().getClusterClaims() == null) {
      return Optional.empty();
    }
    return managed.getStatus().getClusterClaims().stream()
        .filter(c -> ID_CLAIM.equals(c.getName()) && c.getValue() != null && !c.getValue().isEmpty())
        .map(c -> c.getValue())
        .findFirst();
  }
}
