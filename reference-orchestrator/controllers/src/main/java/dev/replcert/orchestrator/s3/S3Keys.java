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

  private static String squash(String key) {
    return key.replaceAll("/{2,}", "/");
  }
}
