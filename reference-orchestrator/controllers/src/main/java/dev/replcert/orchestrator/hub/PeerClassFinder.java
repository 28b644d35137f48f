package dev.replcert.orchestrator.hub;

import dev.replcert.api.k8s.Ramen;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import io.k8s.storage.snapshot.v1.VolumeSnapshotClass;
import io.openshift.storage.replication.v1alpha1.VolumeGroupReplicationClass;
import io.openshift.storage.replication.v1alpha1.VolumeReplicationClass;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The peer classes of a DRPolicy as Ramen derives them from the clusters' labelled classes
 * (drpolicy_peerclass.go; reference/ramen.md §2 "Labels/annotations a driver must provide"). For
 * each StorageClass name a pair of clusters shares:
 *
 * <ul>
 *   <li>the same {@code storageid} on both: a <em>sync</em> peer (one storage stretched over both,
 *       Metro);
 *   <li>different ones and a schedule: an <em>async</em> peer when both clusters have a
 *       VolumeReplicationClass (or, offloaded, a VolumeGroupReplicationClass) with that storage's
 *       {@code storageid}, the schedule, the StorageClass's provisioner and one {@code replicationid}
 *       common to both; {@code grouping} when the group classes share that replicationid too.
 *       Without a common replicationid, VolumeSnapshotClasses of both storages make it a peer
 *       without replication (VolSync's).
 * </ul>
 *
 * Pure: the caller reads the classes (through views on the hub).
 */
public final class PeerClassFinder {

  /** Label of a StorageClass whose replication the storage does by itself. */
  static final String OFFLOADED_LABEL = "ramendr.openshift.io/offloaded";

  /** The class parameter carrying the replication schedule. */
  static final String SCHEDULE_PARAMETER = "schedulingInterval";

  /** One cluster's classes, as its DRClusterConfig lists them, and its identity. */
  public record ClusterClasses(
      String clusterId,
      List<StorageClass> storageClasses,
      List<VolumeSnapshotClass> snapshotClasses,
      List<VolumeReplicationClass> replicationClasses,
      List<VolumeGroupReplicationClass> groupReplicationClasses) {}

  /**
   * A StorageClass paired across two clusters: one storage id (sync) or the pair's two (async), the
   * common replication id ("" for none).
   */
  public record Peer(
      String storageClassName,
      List<String> storageIds,
      List<String> clusterIds,
      String replicationId,
      boolean grouping,
      boolean offloaded) {

    /** The same pairing (Ramen's match: class name and the set of cluster ids). */
    boolean samePairing(String className, List<String> clusters) {
      return storageClassName.equals(className)
          && clusters != null
          && new HashSet<>(clusterIds).equals(new HashSet<>(clusters));
    }
  }

  /** Every pairing found, by kind. */
  public record Peers(List<Peer> sync, List<Peer> async) {}

  private PeerClassFinder() {}

  /** All pairings between every two of the clusters, for a policy with this schedule ("" = Metro). */
  public static Peers find(List<ClusterClasses> clusters, String schedule) {
    List<Peer> sync = new ArrayList<>();
    List<Peer> async = new ArrayList<>();
    for (int i = 0; i < clusters.size() - 1; i++) {
      ClusterClasses first = clusters.get(i);
      List<ClusterClasses> later = clusters.subList(i + 1, clusters.size());
      for (StorageClass sc : first.storageClasses()) {
        String storageId = label(sc, Ramen.STORAGE_ID_LABEL);
        if (storageId == null) {
          continue;
        }
        for (ClusterClasses other : later) {
          Optional<StorageClass> same = storageClass(other, name(sc));
          if (same.isEmpty()) {
            continue;
          }
          String otherId = label(same.get(), Ramen.STORAGE_ID_LABEL);
          if (storageId.equals(otherId)) {
            sync.add(
                new Peer(name(sc), List.of(storageId), List.of(first.clusterId(), other.clusterId()), "", false, false));
          } else if (otherId != null && schedule != null && !schedule.isEmpty()) {
            asyncPeer(name(sc), first, other, storageId, otherId, isOffloaded(sc), isOffloaded(same.get()), schedule)
                .ifPresent(async::add);
          }
        }
      }
    }
    return new Peers(sync, async);
  }

  private static Optional<Peer> asyncPeer(
      String scName,
      ClusterClasses a,
      ClusterClasses b,
      String idA,
      String idB,
      boolean offloaded,
      boolean otherOffloaded,
      String schedule) {
    if (offloaded != otherOffloaded) {
      return Optional.empty(); // an offloaded storage never pairs with one that is not
    }
    String groupId =
        commonReplicationId(
            scName, a, b, idA, idB, schedule,
            c -> c.groupReplicationClasses().stream()
                .map(g -> ClassFacts.of(g, g.getSpec() == null ? null : g.getSpec().getParameters(),
                    g.getSpec() == null ? null : g.getSpec().getProvisioner()))
                .toList());
    if (offloaded && groupId.isEmpty()) {
      return Optional.empty();
    }
    String replicationId = groupId;
    boolean grouping = true;
    if (!offloaded) {
      replicationId =
          commonReplicationId(
              scName, a, b, idA, idB, schedule,
              c -> c.replicationClasses().stream()
                  .map(r -> ClassFacts.of(r, r.getSpec() == null ? null : r.getSpec().getParameters(),
                      r.getSpec() == null ? null : r.getSpec().getProvisioner()))
                  .toList());
      grouping = !replicationId.isEmpty() && replicationId.equals(groupId);
    }
    if (replicationId.isEmpty() && !(hasSnapshotClass(scName, a, idA) && hasSnapshotClass(scName, b, idB))) {
      return Optional.empty();
    }
    return Optional.of(
        new Peer(scName, List.of(idA, idB), List.of(a.clusterId(), b.clusterId()), replicationId, grouping, offloaded));
  }

  /** What a (group) replication class says for pairing: storage id, schedule, provisioner, replication id. */
  private record ClassFacts(String storageId, String schedule, String provisioner, String replicationId) {

    /** The two class kinds are separate models with the same labels and spec fields. */
    static ClassFacts of(HasMetadata replicationClass, Map<String, String> parameters, String provisioner) {
      return new ClassFacts(label(replicationClass, Ramen.STORAGE_ID_LABEL), param(parameters), provisioner,
          label(replicationClass, Ramen.REPLICATION_ID_LABEL));
    }
  }

  /**
   * The replication id a class of each cluster shares, each class matching its cluster's storage id,
   * the schedule and the StorageClass's provisioner; "" when none.
   */
  private static String commonReplicationId(
      String scName,
      ClusterClasses a,
      ClusterClasses b,
      String idA,
      String idB,
      String schedule,
      java.util.function.Function<ClusterClasses, List<ClassFacts>> classes) {
    for (String ridA : replicationIds(scName, a, idA, schedule, classes.apply(a))) {
      if (replicationIds(scName, b, idB, schedule, classes.apply(b)).contains(ridA)) {
        return ridA;
      }
    }
    return "";
  }

  private static List<String> replicationIds(
      String scName, ClusterClasses cluster, String storageId, String schedule, List<ClassFacts> classes) {
    String provisioner = storageClass(cluster, scName).map(StorageClass::getProvisioner).orElse(null);
    return classes.stream()
        .filter(c -> storageId.equals(c.storageId()))
        .filter(c -> schedule.equals(c.schedule()))
        .filter(c -> provisioner != null && provisioner.equals(c.provisioner()))
        .map(ClassFacts::replicationId)
        .filter(Objects::nonNull)
        .filter(id -> !id.isEmpty())
        .toList();
  }

  /** A VolumeSnapshotClass of the storage whose driver is the StorageClass's provisioner. */
  private static boolean hasSnapshotClass(String scName, ClusterClasses cluster, String storageId) {
    String provisioner = storageClass(cluster, scName).map(StorageClass::getProvisioner).orElse(null);
    return cluster.snapshotClasses().stream()
        .anyMatch(v -> storageId.equals(label(v, Ramen.STORAGE_ID_LABEL))
            && provisioner != null && provisioner.equals(v.getDriver()));
  }

  private static Optional<StorageClass> storageClass(ClusterClasses cluster, String name) {
    return cluster.storageClasses().stream().filter(sc -> name.equals(name(sc))).findFirst();
  }

  private static boolean isOffloaded(StorageClass sc) {
    Map<String, String> labels = sc.getMetadata().getLabels();
    return labels != null && labels.containsKey(OFFLOADED_LABEL);
  }

  private static String param(Map<String, String> parameters) {
    return parameters == null ? null : parameters.get(SCHEDULE_PARAMETER);
  }

  private static String name(HasMetadata object) {
    return object.getMetadata().getName();
  }

  private static String label(HasMetadata object, String key) {
    Map<String, String> labels = object.getMetadata().getLabels();
    String value = labels == null ? null : labels.get(key);
    return value == null || value.isEmpty() ? null : value;
  }
}
