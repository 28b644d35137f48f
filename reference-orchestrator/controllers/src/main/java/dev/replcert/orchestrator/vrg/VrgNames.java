package dev.replcert.orchestrator.vrg;

import dev.replcert.api.k8s.Ramen;

/**
 * Finalizers, annotations and labels a VRG writes, spelled as Ramen spells them (vrg_volrep.go).
 */
public final class VrgNames {

  /** On the VRG itself, so that deleting it unprotects its PVCs first. */
  public static final String VRG_FINALIZER =
      "volumereplicationgroups.ramendr.openshift.io/vrg-protection";

  public static final String PVC_FINALIZER = Ramen.PVC_VR_PROTECTION_FINALIZER;
  public static final String PVC_PROTECTED_ANNOTATION =
      "volumereplicationgroups.ramendr.openshift.io/vr-protected";
  public static final String PVC_PROTECTED_VALUE = "protected";
  public static final String PV_RETAINED_ANNOTATION =
      "volumereplicationgroups.ramendr.openshift.io/vr-retained";
  public static final String PV_RETAINED_VALUE = "retained";

  /** On the PVC: what was last uploaded to every profile, so an unchanged PV is not sent again. */
  public static final String PVC_ARCHIVED_ANNOTATION =
      "volumereplicationgroups.ramendr.openshift.io/vr-archived";

  /** On PVs and PVCs restored from S3. */
  public static final String RESTORE_ANNOTATION =
      "volumereplicationgroups.ramendr.openshift.io/ramen-restore";

  public static final String RESTORE_VALUE = "True";
  public static final String DESTINATION_VOLUME_HANDLE_ANNOTATION =
      "ramendr.openshift.io/destination-volume-handle";
  public static final String OWNER_NAME_LABEL = "ramendr.openshift.io/owner-name";
  public static final String OWNER_NAMESPACE_LABEL = "ramendr.openshift.io/owner-namespace-name";
  public static final String CREATED_BY_RAMEN_LABEL = "ramendr.openshift.io/created-by-ramen";
  public static final String DEFAULT_VRC_ANNOTATION =
      "replication.storage.openshift.io/is-default-class";

  /** VolumeReplicationClass parameter that must equal the VRG's schedulingInterval. */
  public static final String SCHEDULING_INTERVAL_PARAMETER = "schedulingInterval";

  /**
   * On the VRG object uploaded to S3 only (not Ramen's): when the writing controller uploaded it,
   * so that a VRG's newest copy across profiles is known ({@link PrimaryElsewhere}).
   */
  public static final String UPLOADED_AT_ANNOTATION = "replcert.dev/vrg-object-uploaded-at";

  /**
   * On a DRPC, copied to its VRGs: protect the claims in consistency groups (one
   * VolumeGroupReplication per group) instead of one VolumeReplication per claim.
   */
  public static final String CG_ENABLED_ANNOTATION =
      "drplacementcontrol.ramendr.openshift.io/is-cg-enabled";

  /** On a claim of a CG-enabled VRG: its group, the storage id of its StorageClass. */
  public static final String CG_LABEL = "ramendr.openshift.io/consistency-group";

  /** On a VolumeGroupReplication: what was last uploaded with its content to every profile. */
  public static final String VGR_ARCHIVED_ANNOTATION = PVC_ARCHIVED_ANNOTATION;

  private VrgNames() {}
}
