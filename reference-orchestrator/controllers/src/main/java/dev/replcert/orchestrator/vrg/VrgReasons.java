package dev.replcert.orchestrator.vrg;

/** Condition reasons of a VRG and its protected PVCs, exactly as Ramen writes them (status.go). */
public final class VrgReasons {

  public static final String UNUSED = "Unused";
  public static final String INITIALIZING = "Initializing";
  public static final String REPLICATING = "Replicating";
  public static final String REPLICATED = "Replicated";
  public static final String READY = "Ready";
  public static final String DATA_PROTECTED = "DataProtected";
  public static final String PROGRESSING = "Progressing";
  public static final String RESTORED = "Restored";
  public static final String ERROR = "Error";
  public static final String UPLOADING = "Uploading";
  public static final String UPLOADED = "Uploaded";
  public static final String UPLOAD_ERROR = "UploadError";
  public static final String CLUSTER_DATA_CONFLICT_PRIMARY = "ClusterDataConflictPrimary";
  public static final String NO_CONFLICT_DETECTED = "NoConflictDetected";

  private VrgReasons() {}
}
