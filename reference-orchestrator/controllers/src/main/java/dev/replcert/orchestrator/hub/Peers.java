package dev.replcert.orchestrator.hub;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.openshift.ramendr.v1alpha1.DRCluster;
import io.openshift.ramendr.v1alpha1.DRPolicy;
import java.util.Objects;
import java.util.Optional;

/**
 * Ramen's getPeerCluster: the cluster that fences a DRCluster is the other DRCluster of a DRPolicy
 * naming it, not being deleted, in the same region (Metro pairs share one) or paired by a Metro
 * policy.
 */
final class Peers {

  private Peers() {}

  static Optional<DRCluster> of(KubernetesClient hub, DRCluster cluster) {
    String name = cluster.getMetadata().getName();
    for (DRPolicy policy : hub.resources(DRPolicy.class).list().getItems()) {
      if (policy.getSpec() == null
          || policy.getSpec().getDrClusters() == null
          || !policy.getSpec().getDrClusters().contains(name)) {
        continue;
      }
      for (String other : policy.getSpec().getDrClusters()) {
        if (other.equals(name)) {
          continue;
        }
        DRCluster peer = hub.resources(DRCluster.class).withName(other).get();
        if (peer != null
            && peer.getMetadata().getDeletionTimestamp() == null
            && (PolicyValidation.metro(policy)
                || Objects.equals(peer.getSpec().getRegion(), cluster.getSpec().getRegion()))) {
          return Optional.of(peer);
        }
      }
    }
    return Optional.empty();
  }
}
