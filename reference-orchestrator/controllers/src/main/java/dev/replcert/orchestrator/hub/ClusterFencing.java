package dev.replcert.orchestrator.hub;

import dev.replcert.api.k8s.CsiAddons.FenceState;
import dev.replcert.api.k8s.Ramen.DrClusterPhase;
import dev.replcert.orchestrator.hub.ManagedClusterViews.Found;
import dev.replcert.orchestrator.hub.ManagedClusterViews.Missing;
import dev.replcert.orchestrator.hub.ManagedClusterViews.Seen;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.open_cluster_management.view.v1beta1.ManagedClusterView;
import io.open_cluster_management.work.v1.ManifestWork;
import io.openshift.csiaddons.v1alpha1.NetworkFence;
import io.openshift.csiaddons.v1alpha1.NetworkFenceStatus;
import io.openshift.ramendr.v1alpha1.DRCluster;
import io.openshift.ramendr.v1alpha1.DRClusterSpec.ClusterFence;
import java.util.List;
import java.util.Optional;

/**
 * {@code spec.clusterFence} of a DRCluster (drcluster_controller.go), level-triggered: the
 * ManifestWorks labelled with the DRCluster's name and what their views report are the state, not
 * the status phase, so a restart anywhere converges. Fenced: a NetworkFence for the cluster's CIDRs
 * goes to the peer by ManifestWork and is read back by ManagedClusterView until it reports
 * Succeeded. Unfenced: the same works switch to Unfenced, then are deleted, then the views once the
 * NetworkFences are gone (Clean). Manual states only set conditions and phase.
 */
final class ClusterFencing {

  private final KubernetesClient hub;
  private final ManifestWorks works;
  private final ManagedClusterViews views;
  private final String fenceClass;

  ClusterFencing(KubernetesClient hub, String fenceClass) {
    this.hub = hub;
    this.works = new ManifestWorks(hub);
    this.views = new ManagedClusterViews(hub);
    this.fenceClass = fenceClass;
  }

  /** Drives the fence state one step; true when it has settled. */
  boolean reconcile(DRCluster cluster, DrClusterStatusWriter status) {
    ClusterFence wanted = cluster.getSpec().getClusterFence();
    if (wanted == null) {
      status.clean("Cluster Clean");
      status.phase(DrClusterPhase.AVAILABLE);
      return true;
    }
    return switch (wanted) {
      case MANUALLYFENCED -> {
        status.fenced("Cluster Manually fenced");
        status.phase(DrClusterPhase.FENCED);
        yield true;
      }
      case MANUALLYUNFENCED -> {
        status.clean("Cluster Manually Unfenced and clean");
        status.phase(DrClusterPhase.UNFENCED);
        yield true;
      }
      case FENCED -> fence(cluster, status);
      case UNFENCED -> unfence(cluster, status);
    };
  }

  private boolean fence(DRCluster cluster, DrClusterStatusWriter status) {
    List<String> cidrs = cluster.getSpec().getCidrs();
    if (cidrs == null || cidrs.isEmpty()) {
      status.fenceError("NetworkFence ManifestWork creation failed: no CIDRs to fence");
      return false;
    }
    Optional<DRCluster> peer = Peers.of(hub, cluster);
    if (peer.isEmpty()) {
      status.fenceError(
          "failed to find the peer cluster for cluster " + cluster.getMetadata().getName());
      return false;
    }
    NetworkFences nf = new NetworkFences(cluster, peer.get().getMetadata().getName(), fenceClass);
    if (works.apply(nf.peer(), nf.workName(), nf.labels(), List.of(nf.object(FenceState.FENCED)))) {
      status.fencing("ManifestWork for NetworkFence fence operation created");
      status.phase(DrClusterPhase.FENCING);
      return false;
    }
    Seen<NetworkFence> seen =
        views.view(nf.peer(), nf.viewName(), nf.scope(), nf.labels(), NetworkFence.class);
    Optional<NetworkFenceStatus.Result> result = result(seen, FenceState.FENCED);
    if (result.isPresent() && result.get() == NetworkFenceStatus.Result.SUCCEEDED) {
      status.fenced("Cluster successfully fenced");
      status.phase(DrClusterPhase.FENCED);
      return true;
    }
    if (result.isPresent()) {
      status.fenceError("fencing operation not successful: " + message(seen));
    } else {
      status.fencing("ManifestWork for NetworkFence fence operation created");
    }
    status.phase(DrClusterPhase.FENCING);
    return false;
  }

  private boolean unfence(DRCluster cluster, DrClusterStatusWriter status) {
    String name = cluster.getMetadata().getName();
    List<ManifestWork> mine = works.labelled(HubNames.DRCLUSTER_NAME_LABEL, name);
    boolean switched = false;
    for (ManifestWork work : mine) {
      Optional<NetworkFence> nf = works.manifest(work, NetworkFences.KIND, NetworkFence.class);
      if (nf.isPresent() && nf.get().getSpec().getFenceState() != unfenced()) {
        nf.get().getSpec().setFenceState(unfenced());
        switched |=
            works.apply(
                work.getMetadata().getNamespace(),
                work.getMetadata().getName(),
                work.getMetadata().getLabels(),
                List.<HasMetadata>of(nf.get()));
      }
    }
    if (switched) {
      status.unfencing("ManifestWork for NetworkFence unfence operation created");
      status.phase(DrClusterPhase.UNFENCING);
      return false;
    }
    for (ManifestWork work : mine) {
      Optional<NetworkFence> nf = works.manifest(work, NetworkFences.KIND, NetworkFence.class);
      if (nf.isEmpty()) {
        continue;
      }
      NetworkFences fences = new NetworkFences(cluster, work.getMetadata().getNamespace(), fenceClass);
      Seen<NetworkFence> seen =
          views.view(
              fences.peer(), NetworkFences.viewName(nf.get().getMetadata().getName()), scopeOf(fences, nf.get()), fences.labels(),
              NetworkFence.class);
      Optional<NetworkFenceStatus.Result> result = result(seen, FenceState.UNFENCED);
      if (result.isEmpty()) {
        status.unfencing("ManifestWork for NetworkFence unfence operation created");
        status.phase(DrClusterPhase.UNFENCING);
        return false;
      }
      if (result.get() != NetworkFenceStatus.Result.SUCCEEDED) {
        status.unfenceError("unfencing operation not successful: " + message(seen));
        status.phase(DrClusterPhase.UNFENCING);
        return false;
      }
    }
    if (!mine.isEmpty()) {
      status.unfenced("Cluster successfully unfenced");
      mine.forEach(w -> works.delete(w.getMetadata().getNamespace(), w.getMetadata().getName()));
      status.cleaning("NetworkFence resource clean started");
      status.phase(DrClusterPhase.UNFENCED);
      return false;
    }
    if (!removeViews(name)) {
      status.cleaning("NetworkFence resource clean started");
      status.phase(DrClusterPhase.UNFENCED);
      return false;
    }
    status.clean("fencing resource cleaned from cluster");
    status.phase(DrClusterPhase.UNFENCED);
    return true;
  }

  /**
   * Deletion: the works go (OCM deletes the NetworkFences; deleting one does not unfence, as in
   * csi-addons), then the views once they report the fences gone. True when nothing is left.
   */
  boolean remove(DRCluster cluster) {
    String name = cluster.getMetadata().getName();
    List<ManifestWork> mine = works.labelled(HubNames.DRCLUSTER_NAME_LABEL, name);
    mine.forEach(w -> works.delete(w.getMetadata().getNamespace(), w.getMetadata().getName()));
    return mine.isEmpty() && removeViews(name);
  }

  /** Deletes the views whose fence is gone; true when none is left. */
  private boolean removeViews(String cluster) {
    List<ManagedClusterView> left =
        hub.resources(ManagedClusterView.class)
            .inAnyNamespace()
            .withLabel(HubNames.DRCLUSTER_NAME_LABEL, cluster)
            .list()
            .getItems();
    boolean clean = true;
    for (ManagedClusterView view : left) {
      String ns = view.getMetadata().getNamespace();
      Seen<NetworkFence> seen =
          views.view(ns, view.getMetadata().getName(), view.getSpec().getScope(),
              view.getMetadata().getLabels(), NetworkFence.class);
      if (seen instanceof Missing<NetworkFence>) {
        views.delete(ns, view.getMetadata().getName());
      } else {
        clean = false;
      }
    }
    return clean;
  }

  /** The NetworkFence's result, only once the peer reports on the wanted fence state. */
  private static Optional<NetworkFenceStatus.Result> result(
      Seen<NetworkFence> seen, FenceState wanted) {
    if (!(seen instanceof Found<NetworkFence> found)) {
      return Optional.empty();
    }
    NetworkFence nf = found.object();
    if (nf.getSpec() == null
        || nf.getSpec().getFenceState() == null
        || !wanted.wire().equals(nf.getSpec().getFenceState().getValue())
        || nf.getStatus() == null) {
      return Optional.empty();
    }
    return Optional.ofNullable(nf.getStatus().getResult());
  }

  private static String message(Seen<NetworkFence> seen) {
    return seen instanceof Found<NetworkFence> found && found.object().getStatus() != null
        ? String.valueOf(found.object().getStatus().getMessage())
        : "";
  }

  private static io.open_cluster_management.view.v1beta1.managedclusterviewspec.Scope scopeOf(
      NetworkFences fences, NetworkFence nf) {
    var scope = fences.scope();
    scope.setName(nf.getMetadata().getName());
    return scope;
  }

  private static io.openshift.csiaddons.v1alpha1.NetworkFenceSpec.FenceState unfenced() {
    return io.openshift.csiaddons.v1alpha1.NetworkFenceSpec.FenceState.UNFENCED;
  }
}
