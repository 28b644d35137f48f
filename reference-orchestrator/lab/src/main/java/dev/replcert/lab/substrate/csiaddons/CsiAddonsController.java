package dev.replcert.lab.substrate.csiaddons;

import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.grpc.Channel;
import io.openshift.csiaddons.v1alpha1.NetworkFence;
import io.openshift.storage.replication.v1alpha1.VolumeGroupReplication;
import io.openshift.storage.replication.v1alpha1.VolumeGroupReplicationContent;
import io.openshift.storage.replication.v1alpha1.VolumeReplication;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The lab's stand-in for kubernetes-csi-addons on one managed cluster: VolumeReplication,
 * VolumeGroupReplication(+Content) and NetworkFence reconciled against one driver site's csi-addons
 * services, with csi-addons' state mapping, conditions, finalizers and requeues ({@code
 * reference/csi.md} §4). A primary's GetReplicationDestinationInfo goes only to a driver that
 * advertises {@code GET_REPLICATION_DESTINATION_INFO} (csi-addons Identity GetCapabilities, asked
 * once). The cluster's API server must have the csi-addons CRDs registered ({@code CrdCatalog}).
 * {@link #close()} stops every informer and worker thread.
 *
 * <pre>{@code
 * new CsiAddonsController(client, site.endpoint().addons(), "reference.replcert.dev",
 *     ControllerTiming.lab(), rpcTimeout).start();
 * }</pre>
 */
public final class CsiAddonsController implements AutoCloseable {

  private final KubernetesClient client;
  private final Channel channel;
  private final String driverName;
  private final ControllerTiming timing;
  private final Duration rpcTimeout;
  private final List<Controller<?>> controllers = new ArrayList<>();

  /**
   * @param client the managed cluster's API server
   * @param channel the site's driver csi-addons services (replication, fence, volumegroup)
   * @param driverName the CSI driver name that classes' {@code provisioner} must name
   * @param timing requeue intervals ({@link ControllerTiming#lab()} in the lab)
   * @param rpcTimeout deadline of every driver call
   */
  public CsiAddonsController(
      KubernetesClient client,
      Channel channel,
      String driverName,
      ControllerTiming timing,
      Duration rpcTimeout) {
    this.client = client;
    this.channel = channel;
    this.driverName = driverName;
    this.timing = timing;
    this.rpcTimeout = rpcTimeout;
  }

  /** Starts the informers and work queues; returns this for one-line wiring. */
  public synchronized CsiAddonsController start() {
    if (!controllers.isEmpty()) {
      return this;
    }
    ContentStatusWriter contentStatus = new ContentStatusWriter(client);
    DestinationInfo destinations =
        new DestinationInfo(
            channel, new DriverCapabilities(channel, rpcTimeout), contentStatus, rpcTimeout);
    VolumeReplicationReconciler vr =
        new VolumeReplicationReconciler(
            client, channel, driverName, timing, rpcTimeout, destinations);
    controllers.add(
        new Controller<>(client, VolumeReplication.class, vr::reconcile, timing.errorRequeue()));
    NetworkFenceReconciler nf =
        new NetworkFenceReconciler(client, channel, driverName, timing, rpcTimeout);
    controllers.add(
        new Controller<>(client, NetworkFence.class, nf::reconcile, timing.errorRequeue()));
    VolumeGroupReplicationContentReconciler content =
        new VolumeGroupReplicationContentReconciler(
            client, channel, driverName, timing, rpcTimeout, contentStatus);
    controllers.add(
        new Controller<>(
            client,
            VolumeGroupReplicationContent.class,
            content::reconcile,
            timing.errorRequeue()));
    VolumeGroupReplicationReconciler group =
        new VolumeGroupReplicationReconciler(client, driverName, timing);
    Controller<VolumeGroupReplication> groups =
        new Controller<>(
            client, VolumeGroupReplication.class, group::reconcile, timing.errorRequeue());
    controllers.add(groups);
    try {
      controllers.forEach(Controller::start);
      // PVC labels decide group membership: any PVC change wakes the groups of its namespace
      groups.watch(PersistentVolumeClaim.class, group::keysOfNamespace);
      // the group's VR (status to mirror) and content (group id known: the VR can be created)
      groups.watch(VolumeReplication.class, VolumeGroupReplicationReconciler::ownerOf);
      groups.watch(VolumeGroupReplicationContent.class, VolumeGroupReplicationReconciler::ownerOf);
    } catch (RuntimeException e) {
      close();
      throw e;
    }
    return this;
  }

  @Override
  public synchronized void close() {
    for (Controller<?> c : controllers) {
      c.close();
    }
    controllers.clear();
  }
}
