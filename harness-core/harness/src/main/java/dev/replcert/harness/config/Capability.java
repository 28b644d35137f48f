package dev.replcert.harness.config;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What a driver can claim in the capability profile of cert.yaml. A test that needs a
 * capability the profile does not claim is skipped with a reason, never passed.
 *
 * <p>The {@link #id()} is the key used in cert.yaml and in test-plan/plan.yaml; keep the two
 * in step (the reports module checks every capability named by the plan exists here).
 */
public enum Capability {
  REPLICATION("replication", "csi-addons VolumeReplication: enable, promote, demote, disable, status"),
  FORCE_PROMOTE("force-promote", "promote a secondary while its peer is unreachable"),
  RESYNC("resync", "resynchronise a demoted (split-brained) volume from the new primary"),
  REPLICATION_DESTINATION_INFO(
      "replication-destination-info", "GetReplicationDestinationInfo reports the peer volume"),
  VOLUME_GROUP("volume-group", "volume groups replicated at one point in time"),
  NETWORK_FENCE("network-fence", "csi-addons NetworkFence: fence and unfence client CIDRs"),
  PEER_FENCE(
      "peer-fence",
      "a NetworkFence on one cluster also cuts the fenced clients off the peer cluster's storage (one storage"
          + " stretched over both sites, Metro DR)"),
  PAUSE_RESUME("pause-resume", "pause and resume replication through a vendor control hook"),
  FILESYSTEM_MODE("filesystem-mode", "volumeMode Filesystem volumes replicate"),
  BLOCK_MODE("block-mode", "volumeMode Block volumes replicate"),
  NODE_DATA_PATH(
      "node-data-path", "the harness may stage/publish volumes through the CSI Node service"),
  SNAPSHOTS("snapshots", "CSI snapshots of replicated volumes (VolumeSnapshot)"),
  VOLSYNC("volsync", "VolSync-based replication for volumes without VolumeReplication"),
  VM_WORKLOADS("vm-workloads", "KubeVirt virtual machines on replicated volumes"),
  VM_LIVE_MIGRATION("vm-live-migration", "live migration of VMs whose disks replicate");

  private final String id;
  private final String description;

  Capability(String id, String description) {
    this.id = id;
    this.description = description;
  }

  /** The key in cert.yaml's {@code capabilities:} map and in plan.yaml. */
  public String id() {
    return id;
  }

  public String description() {
    return description;
  }

  public static Optional<Capability> byId(String id) {
    return Arrays.stream(values()).filter(c -> c.id.equals(id)).findFirst();
  }

  /** Comma-separated ids, for error messages that say what was expected. */
  public static String knownIds() {
    return Arrays.stream(values()).map(Capability::id).collect(Collectors.joining(", "));
  }

  @Override
  public String toString() {
    return id;
  }
}
