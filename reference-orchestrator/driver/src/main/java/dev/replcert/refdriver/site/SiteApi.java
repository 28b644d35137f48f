package dev.replcert.refdriver.site;

import dev.replcert.refdriver.DriverException;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One site of the reference driver as a Java API: what the gRPC services (CSI, csi-addons, vendor
 * extensions) translate to, and what the driver's own tests drive directly. Every method is
 * idempotent as the CSI / csi-addons specifications require, and fails with a {@link
 * DriverException} whose code follows their error tables.
 *
 * <p>Semantics follow RBD snapshot mirroring: volumes are sparse files addressed in fixed blocks
 * with changed-block tracking; a primary ships, every sync period, a crash-consistent point-in-time
 * delta of its changed blocks (checksummed) to the peer over the replication link; the secondary
 * applies each sync atomically. Each promote starts a new epoch; epochs detect split-brain.
 */
public interface SiteApi extends AutoCloseable {

  /** Site name, e.g. {@code east}. */
  String site();

  // ---------------------------------------------------------------- volumes (CSI Controller)

  /**
   * Creates a volume, or returns the existing one of that name (same capacity; another capacity
   * is ALREADY_EXISTS). The volume id is derived from the name so the peer can hold the same id.
   */
  VolumeInfo createVolume(String name, long capacityBytes, Map<String, String> parameters);

  /** Deletes a volume; a missing one is fine. A replicated or published volume: FAILED_PRECONDITION. */
  void deleteVolume(String volumeId);

  VolumeInfo volume(String volumeId);

  List<VolumeInfo> listVolumes();

  SnapshotInfo createSnapshot(String sourceVolumeId, String name);

  void deleteSnapshot(String snapshotId);

  // ---------------------------------------------------------------- data path (CSI Node + DataPath)

  /**
   * Publishes a volume to a node of this site. A secondary volume, or a client address inside a
   * fenced CIDR, refuses a read-write publish (FAILED_PRECONDITION / PERMISSION_DENIED). Same
   * target and arguments again: the same publication.
   */
  Publication publish(String volumeId, String nodeId, String targetPath, boolean readOnly);

  /** Unpublishes; an unknown target is fine. */
  void unpublish(String volumeId, String targetPath);

  /** Reads through a handle (any role; a fenced client: PERMISSION_DENIED). */
  byte[] read(String handle, long offset, int length);

  /**
   * Writes through a handle. Refused (FAILED_PRECONDITION) when the volume is not primary or not
   * replicated-and-writable, including a handle published before a demote; refused
   * (PERMISSION_DENIED) for a fenced client address; OUT_OF_RANGE past the capacity.
   */
  void write(String handle, long offset, byte[] data);

  void flush(String handle);

  // ---------------------------------------------------------------- replication (csi-addons)

  /**
   * Enables replication to the peer: creates the replica (same id) on the peer as secondary and
   * starts the initial full sync; this site becomes primary unless the peer already holds the
   * primary. Parameters: {@code schedulingInterval} (e.g. 1m; a driver-wide sync period overrides
   * it). Repeating it is fine.
   */
  void enableReplication(Target target, Map<String, String> parameters);

  /** Stops replicating; the peer's replica is kept as it is (NOT_FOUND tolerated by callers). */
  void disableReplication(Target target);

  /**
   * Makes this site primary. Without force: FAILED_PRECONDITION when the peer is primary or
   * unreachable. With force: promoted at a new epoch; the data is the last applied sync.
   */
  void promote(Target target, boolean force);

  /**
   * Makes this site secondary: with the peer reachable, first ships a final sync so nothing
   * acknowledged is lost; then refuses writes, also through existing handles. Must finish before
   * the deadline (or fail with DEADLINE_EXCEEDED and stay primary).
   */
  void demote(Target target, Instant deadline);

  /**
   * Resynchronises a secondary from the primary, discarding divergent writes (split-brain).
   * FAILED_PRECONDITION on a primary. Returns true only once it matches the primary.
   */
  boolean resync(Target target, boolean force);

  /** Status for GetVolumeReplicationInfo. FAILED_PRECONDITION when not enabled or not primary. */
  ReplicationStatus replicationStatus(Target target);

  // ---------------------------------------------------------------- vendor extension

  void pause(Target target);

  void resume(Target target);

  boolean paused(Target target);

  // ---------------------------------------------------------------- volume groups (csi-addons)

  /** Creates a group (idempotent by name); all members sync at one point in time. */
  VolumeGroupInfo createGroup(String name, List<String> volumeIds, Map<String, String> parameters);

  /** Sets the full member list. */
  VolumeGroupInfo modifyGroup(String groupId, List<String> volumeIds);

  void deleteGroup(String groupId);

  VolumeGroupInfo group(String groupId);

  List<VolumeGroupInfo> listGroups();

  // ---------------------------------------------------------------- network fence (csi-addons)

  /** Fences client CIDRs: their publish and data-path access is refused until unfenced. */
  void fence(List<String> cidrs);

  void unfence(List<String> cidrs);

  List<String> fencedCidrs();

  // ---------------------------------------------------------------- lifecycle

  /** Whether the replication link to the peer currently works. */
  boolean peerReachable();

  /** Stops the site: the link, the sync scheduler; state stays on disk for a restart. */
  @Override
  void close();
}
