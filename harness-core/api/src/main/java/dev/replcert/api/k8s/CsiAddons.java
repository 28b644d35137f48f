package dev.replcert.api.k8s;

/**
 * Strings of the kubernetes-csi-addons API (VolumeReplication, VolumeGroupReplication,
 * NetworkFence) that the generated models carry as plain {@code String}s: status states, condition
 * types and reasons, finalizers and annotations (see {@code reference/csi.md} §4).
 */
public final class CsiAddons {

  /** Finalizer the csi-addons controller puts on a VolumeReplication. */
  public static final String VR_FINALIZER = "replication.storage.openshift.io";

  /** Finalizer on a PVC while a VolumeReplication uses it. */
  public static final String PVC_PROTECTION_FINALIZER = "replication.storage.openshift.io/pvc-protection";

  /** Finalizer on a PVC while a VolumeGroupReplication uses it. */
  public static final String VGR_PROTECTION_FINALIZER = "replication.storage.openshift.io/vgr-protection";

  /** PVC annotation naming the VolumeReplication that replicates it. */
  public static final String VOLUME_REPLICATION_NAME_ANNOTATION =
      "replication.storage.openshift.io/volume-replication-name";

  /** Finalizer the csi-addons controller puts on a NetworkFence. */
  public static final String NETWORK_FENCE_FINALIZER = "csiaddons.openshift.io/network-fence";

  /** Prefix of VolumeReplicationClass parameters the controller strips before calling the driver. */
  public static final String PARAMETER_PREFIX = "replication.storage.openshift.io/";

  private CsiAddons() {}

  /** {@code spec.replicationState} of a VolumeReplication or VolumeGroupReplication. */
  public enum ReplicationState implements WireValue {
    PRIMARY("primary"),
    SECONDARY("secondary"),
    RESYNC("resync");

    private final String wire;

    ReplicationState(String wire) {
      this.wire = wire;
    }

    @Override
    public String wire() {
      return wire;
    }

    public static ReplicationState parse(String value) {
      return WireValue.parse(ReplicationState.class, value);
    }
  }

  /**
   * {@code status.state} of a VolumeReplication or VolumeGroupReplication. A resync is reported as
   * {@link #SECONDARY}; {@link #UNKNOWN} is what the controller writes when an operation failed
   * before any state was known.
   */
  public enum VolumeState implements WireValue {
    PRIMARY("Primary"),
    SECONDARY("Secondary"),
    UNKNOWN("Unknown");

    private final String wire;

    VolumeState(String wire) {
      this.wire = wire;
    }

    @Override
    public String wire() {
      return wire;
    }

    public static VolumeState parse(String value) {
      return WireValue.parse(VolumeState.class, value);
    }
  }

  /** Condition types of a VolumeReplication / VolumeGroupReplication. */
  public enum ConditionType implements WireValue {
    COMPLETED("Completed"),
    DEGRADED("Degraded"),
    RESYNCING("Resyncing"),
    VALIDATED("Validated"),
    REPLICATING("Replicating"),
    DESTINATION_INFO_AVAILABLE("DestinationInfoAvailable");

    private final String wire;

    ConditionType(String wire) {
      this.wire = wire;
    }

    @Override
    public String wire() {
      return wire;
    }

    public static ConditionType parse(String value) {
      return WireValue.parse(ConditionType.class, value);
    }
  }

  /** Condition reasons the csi-addons controller writes (status.go). */
  public enum Reason implements WireValue {
    PROMOTED("Promoted"),
    DEMOTED("Demoted"),
    FAILED_TO_PROMOTE("FailedToPromote"),
    FAILED_TO_DEMOTE("FailedToDemote"),
    ERROR("Error"),
    VOLUME_DEGRADED("VolumeDegraded"),
    HEALTHY("Healthy"),
    RESYNC_TRIGGERED("ResyncTriggered"),
    FAILED_TO_RESYNC("FailedToResync"),
    NOT_RESYNCING("NotResyncing"),
    PREREQUISITE_MET("PrerequisiteMet"),
    PREREQUISITE_NOT_MET("PrerequisiteNotMet"),
    REPLICATING("Replicating"),
    NOT_REPLICATING("NotReplicating"),
    DESTINATION_INFO_UPDATED("DestinationInfoUpdated"),
    DESTINATION_INFO_PENDING("DestinationInfoPending"),
    FAILED_TO_GET_DESTINATION_INFO("FailedToGetDestinationInfo");

    private final String wire;

    Reason(String wire) {
      this.wire = wire;
    }

    @Override
    public String wire() {
      return wire;
    }

    public static Reason parse(String value) {
      return WireValue.parse(Reason.class, value);
    }
  }

  /** {@code spec.fenceState} of a NetworkFence. */
  public enum FenceState implements WireValue {
    FENCED("Fenced"),
    UNFENCED("Unfenced");

    private final String wire;

    FenceState(String wire) {
      this.wire = wire;
    }

    @Override
    public String wire() {
      return wire;
    }

    public static FenceState parse(String value) {
      return WireValue.parse(FenceState.class, value);
    }
  }

  /** {@code status.result} of a NetworkFence. */
  public enum FenceResult implements WireValue {
    SUCCEEDED("Succeeded"),
    FAILED("Failed");

    private final String wire;

    FenceResult(String wire) {
      this.wire = wire;
    }

    @Override
    public String wire() {
      return wire;
    }

    public static FenceResult parse(String value) {
      return WireValue.parse(FenceResult.class, value);
    }
  }
}
