package dev.replcert.orchestrator.hub;

/** Ramen's hub strings: finalizers, condition reasons, and how hub-side objects are named. */
final class HubNames {

  static final String DRPOLICY_FINALIZER = "drpolicies.ramendr.openshift.io/ramen";
  static final String DRCLUSTER_FINALIZER = "drclusters.ramendr.openshift.io/ramen";

  /** Names the DRCluster a NetworkFence ManifestWork / view is for (Ramen: an annotation). */
  static final String DRCLUSTER_NAME_LABEL = "drcluster.ramendr.openshift.io/drcluster-name";

  /** The one condition type of a DRPolicy. */
  static final String VALIDATED = "Validated";

  // DRPolicy Validated reasons (drpolicy_controller.go)
  static final String SUCCEEDED = "Succeeded";
  static final String VALIDATION_FAILED = "ValidationFailed";
  static final String DRCLUSTER_NOT_FOUND = "DRClusterNotFound";
  static final String DRCLUSTERS_UNAVAILABLE = "DRClustersUnavailable";
  static final String CONFLICT_FOUND = "DRPolicyConflictFound";

  // DRCluster reasons (drcluster_controller.go)
  static final String INITIALIZING = "Initializing";
  static final String FENCING = "Fencing";
  static final String UNFENCING = "Unfencing";
  static final String CLEANING = "Cleaning";
  static final String FENCED = "Fenced";
  static final String UNFENCED = "Unfenced";
  static final String CLEAN = "Clean";
  static final String FENCE_ERROR = "FenceError";
  static final String UNFENCE_ERROR = "UnfenceError";
  static final String S3_CONNECTION_FAILED = "s3ConnectionFailed";
  static final String S3_LIST_FAILED = "s3ListFailed";

  // Ramen's older NetworkFence parameters, read from the fenced DRCluster's annotations
  static final String STORAGE_DRIVER_ANNOTATION = "drcluster.ramendr.openshift.io/storage-driver";
  static final String STORAGE_SECRET_NAME_ANNOTATION =
      "drcluster.ramendr.openshift.io/storage-secret-name";
  static final String STORAGE_SECRET_NAMESPACE_ANNOTATION =
      "drcluster.ramendr.openshift.io/storage-secret-namespace";
  static final String STORAGE_CLUSTER_ID_ANNOTATION =
      "drcluster.ramendr.openshift.io/storage-clusterid";

  private HubNames() {}

  /** {@code network-fence-[<class>-]<fenced>}: the NetworkFence on the peer (cluster-scoped). */
  static String networkFence(String fenced, String fenceClass) {
    return "network-fence-" + (fenceClass == null ? "" : fenceClass + "-") + fenced;
  }

  /** {@code <fenced>[-<class>]-<peer>-nf-mw}, in the peer's namespace on the hub (mw_util.go). */
  static String networkFenceWork(String fenced, String fenceClass, String peer) {
    return fenced + (fenceClass == null ? "" : "-" + fenceClass) + "-" + peer + "-nf-mw";
  }

  /** {@code <name>-<namespace>-<type>-mcv} (mcv_util.go); a NetworkFence has no namespace. */
  static String view(String resourceName, String resourceNamespace, String type) {
    return resourceName + "-" + (resourceNamespace == null ? "" : resourceNamespace) + "-" + type
        + "-mcv";
  }
}
