package dev.replcert.lab.substrate.ocm;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lab's Open Cluster Management: what a real hub and its managed clusters get from OCM, for
 * the clusters the lab runs.
 *
 * <ul>
 *   <li>on the hub, a namespace and a {@code ManagedCluster} per managed cluster, available while
 *       the cluster's agent renews its lease and Unknown once it stops ({@link
 *       ClusterAvailability}, {@link ClusterLeaseAgent});
 *   <li>per managed cluster, the work agent ({@link ManifestWorkAgent}) and the view agent ({@link
 *       ManagedClusterViewAgent}).
 * </ul>
 *
 * Each part runs on its own named daemon thread ({@code ocm-*}); {@link #close()} stops them all
 * and leaves the clients open (they belong to the caller). Everything is read back from the API
 * servers on every reconcile, so a new OcmHub over the same clusters carries on where the last one
 * stopped.
 */
public final class OcmHub implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(OcmHub.class);

  private final KubernetesClient hub;
  private final Map<String, KubernetesClient> clusters;
  private final OcmTiming timing;
  private final Clock clock;
  private final List<AutoCloseable> parts = new ArrayList<>();
  private boolean started;

  /**
   * @param hub the hub's client
   * @param clusters managed clusters by name (e.g. {@code east}, {@code west}); the name is the
   *     ManagedCluster's name and its namespace on the hub
   * @param timing how fast leases, works and views move in the lab
   */
  public OcmHub(KubernetesClient hub, Map<String, KubernetesClient> clusters, OcmTiming timing) {
    this(hub, clusters, timing, Clock.systemUTC());
  }

  OcmHub(KubernetesClient hub, Map<String, KubernetesClient> clusters, OcmTiming timing, Clock clock) {
    this.hub = Objects.requireNonNull(hub, "hub");
    this.clusters = Collections.unmodifiableMap(new LinkedHashMap<>(clusters));
    this.timing = Objects.requireNonNull(timing, "timing");
    this.clock = clock;
    if (this.clusters.isEmpty()) {
      throw new IllegalArgumentException("OCM needs at least one managed cluster");
    }
  }

  /**
   * Registers the managed clusters on the hub and starts their agents. A failure stops whatever
   * had started.
   */
  public synchronized void start() {
    if (started) {
      throw new IllegalStateException("OCM hub already started");
    }
    started = true;
    try {
      ClusterAvailability availability =
          new ClusterAvailability(hub, List.copyOf(clusters.keySet()), timing, clock);
      parts.add(availability);
      availability.start();
      for (Map.Entry<String, KubernetesClient> cluster : clusters.entrySet()) {
        String name = cluster.getKey();
        ClusterLeaseAgent lease = new ClusterLeaseAgent(name, hub, cluster.getValue(), timing, clock);
        parts.add(lease);
        lease.start();
        ManifestWorkAgent work = new ManifestWorkAgent(name, hub, cluster.getValue(), timing, clock);
        parts.add(work);
        work.start();
        ManagedClusterViewAgent view = new ManagedClusterViewAgent(name, hub, cluster.getValue(), timing, clock);
        parts.add(view);
        view.start();
      }
    } catch (RuntimeException e) {
      close();
      throw new IllegalStateException("cannot start the lab's OCM: " + e.getMessage(), e);
    }
    LOG.info("OCM hub started for managed clusters {} ({})", clusters.keySet(), timing);
  }

  /** The managed clusters' names. */
  public List<String> clusters() {
    return List.copyOf(clusters.keySet());
  }

  /** Stops every agent and controller (in reverse start order); the clients stay open. */
  @Override
  public synchronized void close() {
    List<AutoCloseable> stopping = new ArrayList<>(parts);
    Collections.reverse(stopping);
    parts.clear();
    RuntimeException failure = null;
    for (AutoCloseable part : stopping) {
      try {
        part.close();
      } catch (Exception e) {
        LOG.warn("stopping {} failed", part, e);
        if (failure == null) {
          failure = new IllegalStateException("the lab's OCM did not stop cleanly", e);
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
  }
}
