package dev.replcert.api.k8s;

/**
 * Strings of the Ramen API ({@code ramendr.openshift.io/v1alpha1}) that the generated models carry
 * as plain {@code String}s: DRPC phases and progressions, DRCluster phases, VRG states and condition
 * types (see {@code reference/ramen.md}). Values are Ramen's wire strings, typos and spaces included.
 */
public final class Ramen {

  /** Finalizer Ramen puts on a DRPlacementControl. */
  public static final String DRPC_FINALIZER = "drpc.ramendr.openshift.io/finalizer";

  /** Finalizer a VRG puts on each PVC it protects with a VolumeReplication. */
  public static final String PVC_VR_PROTECTION_FINALIZER =
      "volumereplicationgroups.ramendr.openshift.io/pvc-vr-protection";

  /** Label of StorageClasses and VolumeReplicationClasses: the storage instance. */
  public static final String STORAGE_ID_LABEL = "ramendr.openshift.io/storageid";

  /** Label of VolumeReplicationClasses: equal on both clusters of a replication pair. */
  public static final String REPLICATION_ID_LABEL = "ramendr.openshift.io/replicationid";

  private Ramen() {}

  /** {@code spec.action} of a DRPlacementControl (empty means initial deployment). */
  public enum Action implements WireValue {
    FAILOVER("Failover"),
    RELOCATE("Relocate");

    private final String wire;

    Action(String wire) {
      this.wire = wire;
    }

    @Override
    public String wire() {
      return wire;
    }

    public static Action parse(String value) {
      return WireValue.parse(Action.class, value);
    }
  }

  /** {@code status.phase} of a DRPlacementControl. */
  public enum Phase implements WireValue {
    WAIT_FOR_USER("WaitForUser"),
    INITIATING("Initiating"),
    DEPLOYING("Deploying"),
    DEPLOYED("Deployed"),
    FAILING_OVER("FailingOver"),
    FAILED_OVER("FailedOver"),
    RELOCATING("Relocating"),
    RELOCATED("Relocated"),
    DELETING("Deleting");

    private final String wire;

    Phase(String wire) {
      this.wire = wire;
    }

    @Override
    public String wire() {
      return wire;
    }

    public static Phase parse(String value) {
      return WireValue.parse(Phase.class, value);
    }
  }

  /** {@code status.progression} of a DRPlacementControl, exactly as Ramen writes it. */
  public enum Progression implements WireValue {
    COMPLETED("Completed"),
    CREATING_MW("CreatingMW"),
    UPDATING_PL_RULE("UpdatingPlRule"),
    WAIT_FOR_READINESS("WaitForReadiness"),
    CLEANUP_READINESS("CleanupReadiness"),
    /** Written with a space, as Ramen does. */
    CLEANING_UP("Cleaning Up"),
    WAIT_ON_USER_TO_CLEAN_UP("WaitOnUserToCleanUp"),
    /** Ramen's own spelling on the wire ("Prequisites"), kept exactly. */
    CHECKING_FAILOVER_PREREQUISITES("CheckingFailoverPrequisites"),
    FAILING_OVER_TO_CLUSTER("FailingOverToCluster"),
    WAIT_FOR_FENCING("WaitForFencing"),
    WAIT_FOR_STORAGE_MAINTENANCE_ACTIVATION("WaitForStorageMaintenanceActivation"),
    PREPARING_FINAL_SYNC("PreparingFinalSync"),
    CLEARING_PLACEMENT("ClearingPlacement"),
    RUNNING_FINAL_SYNC("RunningFinalSync"),
    FINAL_SYNC_COMPLETE("FinalSyncComplete"),
    ENSURING_VOLUMES_ARE_SECONDARY("EnsuringVolumesAreSecondary"),
    WAIT_ON_GLOBAL_ACTION("WaitOnGlobalAction"),
    WAITING_FOR_RESOURCE_RESTORE("WaitingForResourceRestore"),
    UPDATED_PLACEMENT("UpdatedPlacement"),
    ENSURING_VOL_SYNC_SETUP("EnsuringVolSyncSetup"),
    SETTING_UP_VOL_SYNC_DEST("SettingUpVolSyncDest"),
    DELETING("Deleting"),
    DELETED("Deleted"),
    PAUSED("Paused"),
    TESTING_FAILOVER("TestingFailover");

    private final String wire;

    Progression(String wire) {
      this.wire = wire;
    }

    @Override
    public String wire() {
      return wire;
    }

    public static Progression parse(String value) {
      return WireValue.parse(Progression.class, value);
    }
  }

  /** Condition types of a DRPlacementControl. */
  public enum DrpcCondition implements WireValue {
    AVAILABLE("Available"),
    PEER_READY("PeerReady"),
    PROTECTED("Protected"),
    GLOBAL_ACTION("GlobalAction"),
    NETWORK_MAPPING_LOADED("NetworkMappingLoaded");

    private final String wire;

    DrpcCondition(String wire) {
      this.wire = wire;
    }

    @Override
    public String wire() {
      return wire;
    }

    public static DrpcCondition parse(String value) {
      return WireValue.parse(DrpcCondition.class, value);
    }
  }

  /** {@code status.phase} of a DRCluster. */
  public enum DrClusterPhase implements WireValue {
    AVAILABLE("Available"),
    STARTING("Starting"),
    FENCING("Fencing"),
    FENCED("Fenced"),
    UNFENCING("Unfencing"),
    UNFENCED("Unfenced");

    private final String wire;

    DrClusterPhase(String wire) {
      this.wire = wire;
    }

    @Override
    public String wire() {
      return wire;
    }

    public static DrClusterPhase parse(String value) {
      return WireValue.parse(DrClusterPhase.class, value);
    }
  }

  /** Condition types of a DRCluster. */
  public enum DrClusterCondition implements WireValue {
    VALIDATED("Validated"),
    CLEAN("Clean"),
    FENCED("Fenced"),
    CIDRS_VALIDATED("CIDRsValidated");

    private final String wire;

    DrClusterCondition(String wire) {
      this.wire = wire;
    }

    @Override
    public String wire() {
      return wire;
    }

    public static DrClusterCondition parse(String value) {
      return WireValue.parse(DrClusterCondition.class, value);
    }
  }

  /** {@code spec.clusterFence} of a DRCluster. */
  public enum ClusterFence implements WireValue {
    UNFENCED("Unfenced"),
    FENCED("Fenced"),
    MANUALLY_FENCED("ManuallyFenced"),
    MANUALLY_UNFENCED("ManuallyUnfenced");

    private final String wire;

    ClusterFence(String wire) {
      this.wire = wire;
    }

    @Override
    public String wire() {
      return wire;
    }

    public static ClusterFence parse(String value) {
      return WireValue.parse(ClusterFence.class, value);
    }
  }

  /** {@code status.state} of a VolumeReplicationGroup. */
  public enum VrgState implements WireValue {
    PRIMARY("Primary"),
    SECONDARY("Secondary"),
    UNKNOWN("Unknown");

    private final String wire;

    VrgState(String wire) {
      this.wire = wire;
    }

    @Override
    public String wire() {
      return wire;
    }

    public static VrgState parse(String value) {
      return WireValue.parse(VrgState.class, value);
    }
  }

  /** Condition types of a VolumeReplicationGroup (and of its protected PVCs). */
  public enum VrgCondition implements WireValue {
    DATA_READY("DataReady"),
    DATA_PROTECTED("DataProtected"),
    CLUSTER_DATA_READY("ClusterDataReady"),
    CLUSTER_DATA_PROTECTED("ClusterDataProtected"),
    KUBE_OBJECTS_READY("KubeObjectsReady"),
    NO_CLUSTER_DATA_CONFLICT("NoClusterDataConflict"),
    AUTO_CLEANUP("AutoCleanup"),
    HOOKS_READY("HooksReady"),
    DESTINATION_INFO_AVAILABLE("DestinationInfoAvailable");

    private final String wire;

    VrgCondition(String wire) {
      this.wire = wire;
    }

    @Override
    public String wire() {
      return wire;
    }

    public static VrgCondition parse(String value) {
      return WireValue.parse(VrgCondition.class, value);
    }
  }
}
