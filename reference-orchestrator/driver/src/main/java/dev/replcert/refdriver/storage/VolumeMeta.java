package dev.replcert.refdriver.storage;

import dev.replcert.refdriver.site.VolumeInfo;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a volume persists besides its blocks ({@code meta.json}, replaced atomically). A plain bean
 * for Jackson; instances handed out by {@link Volume#meta()} are never mutated, changes go through
 * {@link Volume#updateMeta} which copies, edits, persists and then publishes the copy.
 */
public final class VolumeMeta {

  public String id;

  /**
   * Raised by every change: of {@code meta.json} and the latest record in {@code meta.slots}, the
   * higher one is the volume's metadata ({@link MetaSlots}).
   */
  public long revision;
  public String name;
  public long capacityBytes;
  public int blockSize;
  public Instant createdAt;
  public Map<String, String> parameters = new LinkedHashMap<>();

  /** NONE = not replicated (writable); PRIMARY / SECONDARY = replication enabled. */
  public VolumeInfo.Role role = VolumeInfo.Role.NONE;

  /** Highest epoch this volume was primary at or applied a sync of; a promote goes above it. */
  public long epoch;

  /** Last sync seq issued by this site while primary at {@link #epoch}. */
  public long seq;

  /**
   * Last point shared with the peer: the last acknowledged sync on a primary, the last applied
   * one on a secondary; null before the first.
   */
  public SyncPoint syncPoint;

  /** A secondary holding writes that are not at its sync point (demoted without final sync). */
  public boolean divergent;

  /** A divergent secondary that asked the primary for a full resync. */
  public boolean resyncRequested;

  /** Became secondary through a demote (only the DEMOTE_KEEPS_WRITABLE defect looks at it). */
  public boolean demoted;

  /**
   * A secondary replica DeleteVolume was called for. Like an RBD mirror's non-primary image
   * (ceph-csi keeps it on DeleteVolume), it stays and keeps receiving syncs: the orchestrator of
   * the old primary's cluster lets its PV go after a relocate or failover, and the next move back
   * restores a PV with the same handle and promotes this replica. ListVolumes no longer shows it;
   * Enable, Promote or a CreateVolume of the same name claim it again; the primary's disable
   * deletes it (DropReleased).
   */
  public boolean released;

  /** Vendor extension: a paused primary ships nothing. */
  public boolean paused;

  /** The VolumeReplicationClass's schedulingInterval given at enable (Go duration), or null. */
  public String schedulingInterval;

  /** Publications by target path. */
  public Map<String, PublicationRecord> publications = new LinkedHashMap<>();

  /** The last acknowledged sync: how long it took and what it shipped (primary). */
  public Duration lastSyncDuration;

  public long lastSyncBytes;

  /** Point in time of the first acknowledged sync (what a frozen last_sync_time would show). */
  public Instant firstSyncTime;

  /** Acknowledged syncs since replication was enabled on this site. */
  public long syncCount;

  /**
   * A publication: the handle the data path accepts, the node it was published to, and whether
   * the volume was a secondary then (only the SECONDARY_PUBLISH_RW defect looks at that).
   */
  public record PublicationRecord(String handle, String nodeId, boolean readOnly, boolean publishedAsSecondary) {}

  /**
   * A copy that shares nothing mutable. Field by field rather than a JSON round trip: every sync
   * copies the metadata on both sites inside its timed path (VolumeMetaTest checks no field is
   * forgotten).
   */
  public VolumeMeta copy() {
    VolumeMeta c = new VolumeMeta();
    c.id = id;
    c.revision = revision;
    c.name = name;
    c.capacityBytes = capacityBytes;
    c.blockSize = blockSize;
    c.createdAt = createdAt;
    c.parameters = parameters == null ? null : new LinkedHashMap<>(parameters);
    c.role = role;
    c.epoch = epoch;
    c.seq = seq;
    c.syncPoint = syncPoint; // a record: immutable
    c.divergent = divergent;
    c.resyncRequested = resyncRequested;
    c.demoted = demoted;
    c.released = released;
    c.paused = paused;
    c.schedulingInterval = schedulingInterval;
    c.publications = publications == null ? null : new LinkedHashMap<>(publications); // records: immutable
    c.lastSyncDuration = lastSyncDuration;
    c.lastSyncBytes = lastSyncBytes;
    c.firstSyncTime = firstSyncTime;
    c.syncCount = syncCount;
    return c;
  }

  public boolean replicated() {
    return role != VolumeInfo.Role.NONE;
  }
}
