package dev.replcert.lab.substrate.ocm;

import dev.replcert.lab.substrate.WorkQueue;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.open_cluster_management.cluster.v1.ManagedCluster;
import io.open_cluster_management.cluster.v1.managedclusterstatus.ClusterClaims;
import io.open_cluster_management.cluster.v1.ManagedClusterSpec;
import io.open_cluster_management.cluster.v1.ManagedClusterStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The hub's side of cluster registration: a ManagedCluster (accepted, joined) and a namespace per
 * managed cluster, and the lease controller that keeps {@value #AVAILABLE} True while the
 * cluster's lease is renewed and turns it Unknown once the lease is older than the grace period.
 */
final class ClusterAvailability implements AutoCloseable {

  static final String AVAILABLE = "ManagedClusterConditionAvailable";
  static final String ACCEPTED = "HubAcceptedManagedCluster";
  /** The claim naming a cluster's identity, which Ramen copies into its DRClusterConfig. */
  static final String ID_CLAIM = "id.k8s.io";
  static final String JOINED = "ManagedClusterJoined";

  private final KubernetesClient hub;
  private final List<String> clusters;
  private final OcmTiming timing;
  private final Clock clock;
  private final WorkQueue loop;

  ClusterAvailability(KubernetesClient hub, List<String> clusters, OcmTiming timing, Clock clock) {
    this.hub = hub;
    this.clusters = List.copyOf(clusters);
    this.timing = timing;
    this.clock = clock;
    this.loop = ResyncQueues.of("ocm-cluster-leases", timing.heartbeat(), () -> this.clusters, this::reconcile);
  }

  /** Creates what is missing of the clusters' namespaces and ManagedClusters, then watches leases. */
  void start() {
    for (String cluster : clusters) {
      if (hub.namespaces().withName(cluster).get() == null) {
        hub.namespaces()
            .resource(new NamespaceBuilder().withNewMetadata().withName(cluster).endMetadata().build())
            .create();
      }
      if (hub.resources(ManagedCluster.class).withName(cluster).get() == null) {
        ManagedCluster managed = new ManagedCluster();
        managed.getMetadata().setName(cluster);
        managed.getMetadata().setLabels(
            Map.of("name", cluster, "cluster.open-cluster-management.io/clusterset", "default"));
        ManagedClusterSpec spec = new ManagedClusterSpec();
        spec.setHubAcceptsClient(true);
        spec.setLeaseDurationSeconds((int) Math.max(1, timing.heartbeat().toSeconds()));
        managed.setSpec(spec);
        hub.resource(managed).create();
      }
    }
    loop.start();
  }

  private void reconcile(String cluster) {
    ManagedCluster managed = hub.resources(ManagedCluster.class).withName(cluster).get();
    if (managed == null) {
      return;
    }
    Lease lease = hub.leases().inNamespace(cluster).withName(ClusterLeaseAgent.LEASE).get();
    Instant renewed =
        lease == null || lease.getSpec() == null || lease.getSpec().getRenewTime() == null
            ? null
            : lease.getSpec().getRenewTime().toInstant();
    Long generation = managed.getMetadata().getGeneration();
    List<Condition> before =
        managed.getStatus() == null || managed.getStatus().getConditions() == null
            ? List.of()
            : managed.getStatus().getConditions();
    List<Condition> after = new ArrayList<>(before);
    after = Conditions.set(after, Conditions.of(ACCEPTED, "True", "HubClusterAdminAccepted", "Accepted by hub cluster admin", generation), clock);
    after = Conditions.set(after, Conditions.of(JOINED, "True", "ManagedClusterJoined", "Managed cluster joined", generation), clock);
    if (renewed != null && Duration.between(renewed, clock.instant()).compareTo(timing.leaseGrace()) < 0) {
      after = Conditions.set(after, Conditions.of(AVAILABLE, "True", "ManagedClusterAvailable", "Managed cluster is available", generation), clock);
    } else if (renewed != null || Conditions.find(before, AVAILABLE).isPresent() || olderThanGrace(managed)) {
      after =
          Conditions.set(
              after,
              Conditions.of(
                  AVAILABLE,
                  "Unknown",
                  "ManagedClusterLeaseUpdateStopped",
                  "Registration agent stopped updating its lease.",
                  generation),
              clock);
    }
    boolean claimed = managed.getStatus() != null && managed.getStatus().getClusterClaims() != null
        && managed.getStatus().getClusterClaims().stream().anyMatch(c -> ID_CLAIM.equals(c.getName()));
    if (!sameStatuses(before, after) || !claimed) {
      ManagedClusterStatus status = managed.getStatus() == null ? new ManagedClusterStatus() : managed.getStatus();
      status.setConditions(after);
      if (!claimed) {
        // OCM's registration agent reports the cluster's id.k8s.io claim (the kube-system namespace
        // UID); a lab cluster's name is as unique within the lab
        ClusterClaims claim = new ClusterClaims();
        claim.setName(ID_CLAIM);
        claim.setValue(cluster);
        List<ClusterClaims> claims =
            status.getClusterClaims() == null ? new ArrayList<>() : new ArrayList<>(status.getClusterClaims());
        claims.add(claim);
        status.setClusterClaims(claims);
      }
      managed.setStatus(status);
      hub.resource(managed).updateStatus();
    }
  }

  /** A cluster whose agent never renewed its lease is Unknown once the grace passed since joining. */
  private boolean olderThanGrace(ManagedCluster managed) {
    String created = managed.getMetadata().getCreationTimestamp();
    if (created == null) {
      return true;
    }
    try {
      return Duration.between(Instant.parse(created), clock.instant()).compareTo(timing.leaseGrace()) >= 0;
    } catch (java.time.format.DateTimeParseException e) {
      return true;
    }
  }

  private static boolean sameStatuses(List<Condition> a, List<Condition> b) {
    if (a.size() != b.size()) {
      return false;
    }
    for (Condition c : b) {
      var old = Conditions.find(a, c.getType());
      if (old.isEmpty()
          || !Objects.equals(old.get().getStatus(), c.getStatus())
          || !Objects.equals(old.get().getReason(), c.getReason())) {
        return false;
      }
    }
    return true;
  }

  @Override
  public void close() {
    loop.close();
  }
}
