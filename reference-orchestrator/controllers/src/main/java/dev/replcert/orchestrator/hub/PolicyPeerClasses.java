package dev.replcert.orchestrator.hub;

import dev.replcert.orchestrator.hub.PeerClassFinder.ClusterClasses;
import dev.replcert.orchestrator.hub.PeerClassFinder.Peer;
import dev.replcert.orchestrator.hub.PeerClassFinder.Peers;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.open_cluster_management.cluster.v1.ManagedCluster;
import io.openshift.ramendr.v1alpha1.DRPolicy;
import io.openshift.ramendr.v1alpha1.DRPolicyStatus;
import io.openshift.ramendr.v1alpha1.drpolicystatus.Async;
import io.openshift.ramendr.v1alpha1.drpolicystatus.Sync;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BiPredicate;
import java.util.function.Function;

/**
 * A valid DRPolicy's {@code status.async.peerClasses} and {@code status.sync.peerClasses}, derived
 * from its clusters' DRClusterConfigs ({@link ClusterConfigs}, {@link PeerClassFinder}) and merged
 * as Ramen merges them: a listed pairing that still exists keeps its place with fresh values, one
 * gone is dropped, new ones are appended.
 */
final class PolicyPeerClasses {

  private static final KubernetesSerialization JSON = new KubernetesSerialization();

  private final KubernetesClient hub;
  private final ClusterConfigs configs;

  PolicyPeerClasses(KubernetesClient hub) {
    this.hub = hub;
    this.configs = new ClusterConfigs(hub);
  }

  /**
   * Updates {@code working}; false while a cluster's classes are not read yet (retry soon). A
   * cluster that is no ManagedCluster has no DRClusterConfig: the policy keeps what it lists.
   */
  boolean update(DRPolicy policy, DRPolicyStatus working) {
    List<ClusterClasses> clusters = new ArrayList<>();
    for (String cluster : policy.getSpec().getDrClusters()) {
      if (hub.resources(ManagedCluster.class).withName(cluster).get() == null) {
        return true;
      }
      Optional<ClusterClasses> read = configs.read(cluster);
      if (read.isEmpty()) {
        return false;
      }
      clusters.add(read.get());
    }
    String schedule = policy.getSpec().getSchedulingInterval() == null ? "" : policy.getSpec().getSchedulingInterval();
    Peers peers = PeerClassFinder.find(clusters, schedule);
    Async async = working.getAsync() == null ? new Async() : working.getAsync();
    async.setPeerClasses(merge(async.getPeerClasses(), peers.async(), PolicyPeerClasses::asyncClass,
        (pc, peer) -> peer.samePairing(pc.getStorageClassName(), pc.getClusterIDs())));
    Sync sync = working.getSync() == null ? new Sync() : working.getSync();
    sync.setPeerClasses(merge(sync.getPeerClasses(), peers.sync(), PolicyPeerClasses::syncClass,
        (pc, peer) -> peer.samePairing(pc.getStorageClassName(), pc.getClusterIDs())));
    working.setAsync(async);
    working.setSync(sync);
    return true;
  }

  static <T> List<T> merge(
      List<T> listed, List<Peer> found, Function<Peer, T> convert, BiPredicate<T, Peer> same) {
    List<T> merged = new ArrayList<>();
    List<T> before = listed == null ? List.of() : listed;
    for (T pc : before) {
      found.stream().filter(peer -> same.test(pc, peer)).findFirst().map(convert).ifPresent(merged::add);
    }
    for (Peer peer : found) {
      if (before.stream().noneMatch(pc -> same.test(pc, peer))) {
        merged.add(convert.apply(peer));
      }
    }
    return merged;
  }

  static io.openshift.ramendr.v1alpha1.drpolicystatus.async.PeerClasses asyncClass(Peer peer) {
    var pc = new io.openshift.ramendr.v1alpha1.drpolicystatus.async.PeerClasses();
    pc.setStorageClassName(peer.storageClassName());
    pc.setStorageID(peer.storageIds());
    pc.setClusterIDs(peer.clusterIds());
    pc.setReplicationID(peer.replicationId().isEmpty() ? null : peer.replicationId());
    pc.setGrouping(peer.grouping() ? true : null);
    pc.setOffloaded(peer.offloaded() ? true : null);
    return pc;
  }

  /** The same fields: the generated models only differ by package. */
  private static io.openshift.ramendr.v1alpha1.drpolicystatus.sync.PeerClasses syncClass(Peer peer) {
    return JSON.convertValue(asyncClass(peer), io.openshift.ramendr.v1alpha1.drpolicystatus.sync.PeerClasses.class);
  }
}
