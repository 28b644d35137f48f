package dev.replcert.lab.substrate.ocm;

import io.fabric8.kubernetes.client.KubernetesClientException;

/**
 * A managed cluster's API server did not answer (no HTTP status at all: refused, reset, timed out,
 * or the lab's site is down). An agent that gets this leaves the hub's status as it was, as an OCM
 * agent on a dead cluster does: the status simply stops changing.
 */
final class ClusterUnreachable extends RuntimeException {

  ClusterUnreachable(String cluster, KubernetesClientException cause) {
    super("managed cluster " + cluster + " does not answer: " + cause.getMessage(), cause);
  }

  /** {@code e} unless it is a transport failure, which becomes a {@link ClusterUnreachable}. */
  static RuntimeException classify(String cluster, KubernetesClientException e) {
    return e.getCode() <= 0 ? new ClusterUnreachable(cluster, e) : e;
  }
}
