package dev.replcert.orchestrator.drpc;

import java.util.Map;

/**
 * Ramen's hub strings for a DRPlacementControl: how its works and views are named and annotated,
 * and the condition reasons (drplacementcontrol_types.go, util/mw_util.go, util/mcv_util.go).
 */
final class DrpcNames {

  /** Annotations Ramen puts on the VRG/namespace works and views it makes for a DRPC. */
  static final String DRPC_NAME_ANNOTATION = "drplacementcontrol.ramendr.openshift.io/drpc-name";

  static final String DRPC_NAMESPACE_ANNOTATION =
      "drplacementcontrol.ramendr.openshift.io/drpc-namespace";

  /**
   * OCM's PlacementDisableAnnotation: the placement controller leaves the Placement alone. Ramen
   * requires it (getPlacement: "placement %s must be disabled in order for Ramen to be the
   * scheduler"); this implementation sets it.
   */
  static final String SCHEDULING_DISABLE_ANNOTATION =
      "cluster.open-cluster-management.io/experimental-scheduling-disable";

  /** clrapiv1beta1.PlacementLabel: a PlacementDecision names its Placement with it. */
  static final String PLACEMENT_LABEL = "cluster.open-cluster-management.io/placement";

  /** Ramen labels the PlacementDecision it creates so Velero (hub backup) skips it. */
  static final String EXCLUDE_FROM_BACKUP_LABEL = "velero.io/exclude-from-backup";

  /** ManagedCluster condition that says the cluster's agent is talking to the hub. */
  static final String MANAGED_CLUSTER_AVAILABLE = "ManagedClusterConditionAvailable";

  /** Label Ramen puts on a VRG ManifestWork ({@code map[string]string{"app": "VRG"}}). */
  static final Map<String, String> VRG_WORK_LABELS = Map.of("app", "VRG");

  static final String VRG_KIND = "VolumeReplicationGroup";
  static final String RAMEN_GROUP = "ramendr.openshift.io";
  static final String RAMEN_VERSION = "v1alpha1";

  // DRPC condition reasons (drplacementcontrol_types.go)
  static final String REASON_PROGRESSING = "Progressing";
  static final String REASON_CLEANING = "Cleaning";
  static final String REASON_SUCCESS = "Success";
  static final String REASON_NOT_STARTED = "NotStarted";

  // Protected reasons
  static final String PROTECTED_UNKNOWN = "Unknown";
  static final String PROTECTED_PROGRESSING = "Progressing";
  static final String PROTECTED_ERROR = "Error";
  static final String PROTECTED = "Protected";

  private DrpcNames() {}

  /** {@code <drpc>-<vrgNamespace>-vrg-mw} (ManifestWorkNameFormat). */
  static String vrgWork(String drpc, String vrgNamespace) {
    return drpc + "-" + vrgNamespace + "-vrg-mw";
  }

  /** {@code <drpc>-<vrgNamespace>-ns-mw}: the Namespace, delivered before the VRG. */
  static String namespaceWork(String drpc, String vrgNamespace) {
    return drpc + "-" + vrgNamespace + "-ns-mw";
  }

  /** {@code <drpc>-<vrgNamespace>-vrg-mcv} (mcv_util.go). */
  static String vrgView(String drpc, String vrgNamespace) {
    return drpc + "-" + vrgNamespace + "-vrg-mcv";
  }

  /** {@code <placement>-decision-1} (PlacementDecisionName "%s-decision-%d", index 1). */
  static String decision(String placement) {
    return placement + "-decision-1";
  }
}
