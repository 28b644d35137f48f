package dev.replcert.lab.substrate.ocm;

import dev.replcert.lab.substrate.WorkQueue;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;

/**
 * The registration agent's heartbeat on one managed cluster: while the cluster's API server
 * answers, it renews the Lease {@value #LEASE} in the cluster's namespace on the hub every
 * heartbeat. A cluster whose API server is down has no agent running, so nothing renews the lease
 * and the hub ({@link ClusterAvailability}) notices.
 */
final class ClusterLeaseAgent implements AutoCloseable {

  /** The lease OCM's registration agent renews in its cluster namespace on the hub. */
  static final String LEASE = "managed-cluster-lease";

  private final String cluster;
  private final KubernetesClient hub;
  private final KubernetesClient managed;
  private final OcmTiming timing;
  private final Clock clock;
  private final WorkQueue loop;

  ClusterLeaseAgent(
      String cluster, KubernetesClient hub, KubernetesClient managed, OcmTiming timing, Clock clock) {
    this.cluster = cluster;
    this.hub = hub;
    this.managed = managed;
    this.timing = timing;
    this.clock = clock;
    this.loop =
        ResyncQueues.of("ocm-lease-" + cluster, timing.heartbeat(), () -> List.of(LEASE), k -> renew());
  }

  void start() {
    loop.start();
  }

  private void renew() {
    try {
      // any HTTP answer means the API server is up; only a transport failure means it is not
      managed.namespaces().withName("kube-system").get();
    } catch (KubernetesClientException e) {
      throw ClusterUnreachable.classify(cluster, e);
    }
    ZonedDateTime now = ZonedDateTime.now(clock).withZoneSameInstant(ZoneOffset.UTC);
    Lease lease = hub.leases().inNamespace(cluster).withName(LEASE).get();
    if (lease == null) {
      hub.leases()
          .inNamespace(cluster)
          .resource(
              new LeaseBuilder()
                  .withNewMetadata()
                  .withName(LEASE)
                  .withNamespace(cluster)
                  .endMetadata()
                  .withNewSpec()
                  .withHolderIdentity(cluster)
                  .withLeaseDurationSeconds(seconds())
                  .withRenewTime(now)
                  .endSpec()
                  .build())
          .create();
    } else {
      lease.getSpec().setRenewTime(now);
      hub.leases().inNamespace(cluster).resource(lease).update();
    }
  }

  private int seconds() {
    return (int) Math.max(1, timing.heartbeat().toSeconds());
  }

  @Override
  public void close() {
    loop.close();
  }
}
