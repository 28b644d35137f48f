package dev.replcert.refdriver;

import java.util.Arrays;
import java.util.Optional;

/**
 * The catalog of switchable defects. Each breaks exactly one rule a DR user depends on; the
 * harness's own tests prove every one of them is caught by a named certification test (a
 * certification harness that passes a broken driver is worthless).
 *
 * <p>Enable with {@code --defect=ID} (repeatable) or {@link DriverOptions#defects()}. The catalog
 * is also shipped as data: {@code META-INF/replcert/defects.json}.
 */
public enum Defect {
  SPLIT_BRAIN_ALLOWED(
      "PromoteVolume without force succeeds while the peer is still primary",
      "never two primaries: promote without force needs the peer demoted"),
  DEMOTE_KEEPS_WRITABLE(
      "after DemoteVolume, writes through open and new handles are still accepted",
      "a secondary is read-only, including through handles published before the demote"),
  SECONDARY_PUBLISH_RW(
      "a secondary volume accepts a read-write NodePublishVolume and writes",
      "a secondary refuses read-write publish"),
  DEMOTE_SKIPS_FINAL_SYNC(
      "DemoteVolume with the peer reachable does not ship the last changes",
      "a planned switch (demote, then promote the peer) loses no acknowledged write"),
  RESYNC_READY_EARLY(
      "ResyncVolume reports ready=true before the volume has caught up",
      "ready=true only when the resynced volume matches the primary"),
  RESYNC_KEEPS_DIVERGENT_DATA(
      "resync of a split-brained old primary keeps its divergent writes",
      "after resync the old primary is identical to the new primary"),
  LAST_SYNC_TIME_FROZEN(
      "last_sync_time stays at the first sync while syncs go on",
      "last_sync_time is the point in time of the last applied sync"),
  LAST_SYNC_TIME_FUTURE(
      "last_sync_time is reported in the future",
      "last_sync_time is never in the future"),
  LAST_SYNC_TIME_BACKWARDS(
      "last_sync_time sometimes goes backwards",
      "last_sync_time never goes backwards"),
  LAST_SYNC_TIME_IS_NOW(
      "last_sync_time is the time of the query, whether or not a sync happened",
      "last_sync_time reflects a real applied sync, so RPO can be measured from it"),
  LAST_SYNC_TIME_MISSING(
      "last_sync_time is never reported, though syncs are applied",
      "once a sync is applied, last_sync_time reports it, so protection and RPO can be shown"),
  REPLICATION_STOPS_SILENTLY(
      "after a few syncs nothing more is shipped while status stays HEALTHY",
      "HEALTHY means data is reaching the peer"),
  HEALTHY_WHEN_PEER_DOWN(
      "status is HEALTHY while the peer site is unreachable",
      "status is not HEALTHY when replication cannot reach the peer"),
  CORRUPT_BLOCK_IN_TRANSFER(
      "one block of each sync is corrupted on the link and applied anyway",
      "the secondary holds exactly the bytes the primary wrote"),
  NON_ATOMIC_SYNC_APPLY(
      "the secondary applies a sync block by block, visible half-done to readers",
      "a sync is applied atomically: readers never see half a sync"),
  PROMOTE_ROLLS_BACK(
      "force promote exposes the first sync instead of the last applied one",
      "a force-promoted volume holds the last applied sync (RPO is one interval)"),
  GROUP_MEMBERS_INCONSISTENT(
      "members of a volume group are synced at different points in time",
      "group replication keeps all members at one point in time"),
  FENCE_NOT_ENFORCED(
      "fenced client addresses can still publish and write",
      "a fenced client cannot use its volumes"),
  UNFENCE_NOT_RESTORING(
      "after UnfenceClusterNetwork the clients stay cut off",
      "unfence restores access"),
  FORCE_IGNORED(
      "PromoteVolume(force=true) fails like force=false when the peer is unreachable",
      "force promote works when the peer site is down"),
  PAUSE_NOT_PAUSING(
      "PauseReplication is accepted but syncs go on",
      "while paused the secondary does not change"),
  DEMOTE_HANGS(
      "DemoteVolume never returns, past any deadline",
      "every RPC honours its deadline"),
  WRONG_CODE_MISSING_SOURCE(
      "a request without replication_source fails with UNKNOWN, not INVALID_ARGUMENT",
      "missing fields are INVALID_ARGUMENT"),
  WRONG_CODE_NOT_FOUND(
      "replication RPCs on an unknown volume succeed instead of NOT_FOUND",
      "an unknown volume is NOT_FOUND"),
  WRONG_CODE_PRECONDITION(
      "ResyncVolume of a primary returns OK instead of FAILED_PRECONDITION",
      "resync of a primary is FAILED_PRECONDITION"),
  NON_IDEMPOTENT_ENABLE(
      "a repeated EnableVolumeReplication fails with ALREADY_EXISTS",
      "every RPC is idempotent"),
  CAPABILITIES_OVERSTATED(
      "GetCapabilities advertises volume groups and network fence, whose RPCs are UNIMPLEMENTED",
      "advertised capabilities work");

  private final String description;
  private final String rule;

  Defect(String description, String rule) {
    this.description = description;
    this.rule = rule;
  }

  /** One line: what the defective driver does. */
  public String description() {
    return description;
  }

  /** The rule a DR user depends on that this defect breaks. */
  public String rule() {
    return rule;
  }

  public static Optional<Defect> byId(String id) {
    return Arrays.stream(values()).filter(d -> d.name().equals(id)).findFirst();
  }
}
