package dev.replcert.orchestrator.hub;

import dev.replcert.api.k8s.CsiAddons.FenceState;
import io.open_cluster_management.view.v1beta1.managedclusterviewspec.Scope;
import io.openshift.csiaddons.v1alpha1.NetworkFence;
import io.openshift.csiaddons.v1alpha1.NetworkFenceSpec;
import io.openshift.csiaddons.v1alpha1.networkfencespec.Secret;
import io.openshift.ramendr.v1alpha1.DRCluster;
import java.util.List;
import java.util.Map;

/**
 * The NetworkFence Ramen asks a peer to apply against a DRCluster's CIDRs, and the names of the
 * ManifestWork that delivers it and of the view that reads it back.
 *
 * @param fenced the DRCluster to fence off
 * @param peer the cluster that applies the fence
 * @param fenceClass the peer's NetworkFenceClass, or null (Ramen's annotation-driven fallback)
 */
record NetworkFences(DRCluster fenced, String peer, String fenceClass) {

  static final String GROUP = "csiaddons.openshift.io";
  static final String VERSION = "v1alpha1";
  static final String KIND = "NetworkFence";

  String name() {
    return HubNames.networkFence(fenced.getMetadata().getName(), fenceClass);
  }

  String workName() {
    return HubNames.networkFenceWork(fenced.getMetadata().getName(), fenceClass, peer);
  }

  /** The view is named after the NetworkFence it reads, so one DRCluster can have several. */
  String viewName() {
    return viewName(name());
  }

  static String viewName(String networkFence) {
    return HubNames.view(networkFence, null, "nf");
  }

  Map<String, String> labels() {
    return Map.of(HubNames.DRCLUSTER_NAME_LABEL, fenced.getMetadata().getName());
  }

  NetworkFence object(FenceState state) {
    NetworkFence nf = new NetworkFence();
    nf.getMetadata().setName(name());
    NetworkFenceSpec spec = new NetworkFenceSpec();
    spec.setFenceState(NetworkFenceSpec.FenceState.valueOf(state.name()));
    spec.setCidrs(List.copyOf(fenced.getSpec().getCidrs()));
    if (fenceClass != null) {
      spec.setNetworkFenceClassName(fenceClass);
    } else {
      Map<String, String> a =
          fenced.getMetadata().getAnnotations() == null
              ? Map.of()
              : fenced.getMetadata().getAnnotations();
      spec.setDriver(a.get(HubNames.STORAGE_DRIVER_ANNOTATION));
      Secret secret = new Secret();
      secret.setName(a.get(HubNames.STORAGE_SECRET_NAME_ANNOTATION));
      secret.setNamespace(a.get(HubNames.STORAGE_SECRET_NAMESPACE_ANNOTATION));
      spec.setSecret(secret);
      if (a.containsKey(HubNames.STORAGE_CLUSTER_ID_ANNOTATION)) {
        spec.setParameters(Map.of("clusterID", a.get(HubNames.STORAGE_CLUSTER_ID_ANNOTATION)));
      }
    }
    nf.setSpec(spec);
    return nf;
  }

  Scope scope() {
    Scope scope = new Scope();
    scope.setApiGroup(GROUP);
    scope.setVersion(VERSION);
    scope.setKind(KIND);
    scope.setName(name());
    return scope;
  }
}
