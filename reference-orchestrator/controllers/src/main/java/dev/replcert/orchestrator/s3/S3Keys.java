package dev.replcert.orchestrator.s3;

/**
 * Ramen's key layout (s3utils.go): {@code <vrgNamespace>/<vrgName>/} then the Go type string and a
 * suffix, consecutive slashes squashed. The hub, ramenctl and the layer-2 suites read the same
 * keys, so they must be exactly these.
 */
public final class S3Keys {

  public static final String PV_TYPE = "v1.PersistentVolume";
  public static final String PVC_TYPE = "v1.PersistentVolumeClaim";
  public static final String VRG_TYPE = "v1alpha1.VolumeReplicationGroup";
  public static final String VGR_TYPE = "v1alpha1.VolumeGroupReplication";
  public static final String VGRC_TYPE = "v1alpha1.VolumeGroupReplicationContent";

  /** Ramen's {@code vrgS3ObjectNameSuffix}: a VRG has one object, named "a". */
  public static final String VRG_SUFFIX = "a";

  private S3Keys() {}

  /** {@code <ns>/<vrg>/}: everything of one VRG. */
  public static String prefix(String vrgNamespace, String vrgName) {
    return squash(vrgNamespace + "/" + vrgName + "/");
  }

  /** {@code <ns>/<vrg>/v1.PersistentVolume/}. */
  public static String pvPrefix(String vrgNamespace, String vrgName) {
    return squash(prefix(vrgNamespace, vrgName) + PV_TYPE + "/");
  }

  /** {@code <ns>/<vrg>/v1.PersistentVolumeClaim/}. */
  public static String pvcPrefix(String vrgNamespace, String vrgName) {
    return squash(prefix(vrgNamespace, vrgName) + PVC_TYPE + "/");
  }

  /** {@code <ns>/<vrg>/v1.PersistentVolume/<pvName>}. */
  public static String pv(String vrgNamespace, String vrgName, String pvName) {
    return squash(pvPrefix(vrgNamespace, vrgName) + pvName);
  }

  /** {@code <ns>/<vrg>/v1.PersistentVolumeClaim/<pvcNamespace>/<pvcName>}. */
  public static String pvc(
      String vrgNamespace, String vrgName, String pvcNamespace, String pvcName) {
    return squash(pvcPrefix(vrgNamespace, vrgName) + pvcNamespace + "/" + pvcName);
  }

  /** {@code <ns>/<vrg>/v1alpha1.VolumeReplicationGroup/a}: the VRG object itself. */
  public static String vrg(String vrgNamespace, String vrgName) {
    return squash(prefix(vrgNamespace, vrgName) + VRG_TYPE + "/" + VRG_SUFFIX);
  }

  /** {@code <ns>/<vrg>/v1alpha1.VolumeGroupReplication/}. */
  public static String vgrPrefix(String vrgNamespace, String vrgName) {
    return squash(prefix(vrgNamespace, vrgName) + VGR_TYPE + "/");
  }

  /** {@code <ns>/<vrg>/v1alpha1.VolumeGroupReplication/<vgrNamespace>/<vgrName>}. */
  public static String vgr(String vrgNamespace, String vrgName, String vgrNamespace, String vgrName) {
    return squash(vgrPrefix(vrgNamespace, vrgName) + vgrNamespace + "/" + vgrName);
  }

  /** {@code <ns>/<vrg>/v1alpha1.VolumeGroupReplicationContent/}. */
  public static String vgrContentPrefix(String vrgNamespace, String vrgName) {
    return squash(prefix(vrgNamespace, vrgName) + VGRC_TYPE + "/");
  }

  /** {@code <ns>/<vrg>/v1alpha1.VolumeGroupReplicationContent/<contentName>} (cluster-scoped). */
  public static String vgrContent(String vrgNamespace, String vrgName, String contentName) {
    return squash(vgrContentPrefix(vrgNamespace, vrgName) + contentName);
  }

  private static String squash(String key) {
    return key.replaceAll("/{2,}", "/");
  }
}
