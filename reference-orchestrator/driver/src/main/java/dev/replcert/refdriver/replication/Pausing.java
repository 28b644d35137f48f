package dev.replcert.refdriver.replication;

import dev.replcert.refdriver.DriverException;
import dev.replcert.refdriver.DriverOptions;
import dev.replcert.refdriver.ErrorCode;
import dev.replcert.refdriver.link.PeerLink;
import dev.replcert.refdriver.site.ReplicationStatus;
import dev.replcert.refdriver.site.Target;
import dev.replcert.refdriver.site.VolumeInfo;
import dev.replcert.refdriver.storage.GroupMeta;
import dev.replcert.refdriver.storage.SiteStore;
import dev.replcert.refdriver.storage.Volume;
import java.time.Duration;
import java.util.Map;

/**
 * The vendor extension PauseReplication / ResumeReplication, and GetVolumeReplicationInfo (whose
 * answer depends on it).
 */
public final class Pausing {

  private final SiteStore store;
  private final Targets targets;
  private final Replicator replicator;
  private final SyncScheduler scheduler;
  private final StatusReporter reporter;

  public Pausing(DriverOptions options, SiteStore store, PeerLink link, Replicator replicator, SyncScheduler scheduler) {
    this.store = store;
    this.targets = new Targets(store, link);
    this.replicator = replicator;
    this.scheduler = scheduler;
    this.reporter = new StatusReporter(options, link);
  }

  /** The status of a primary target; FAILED_PRECONDITION when not replicated or not primary. */
  public ReplicationStatus status(Target target) {
    TargetVolumes r = targets.resolve(target);
    if (r.volumes().isEmpty()) {
      throw new DriverException(ErrorCode.FAILED_PRECONDITION, r.target() + " has no volumes");
    }
    for (Volume v : r.volumes()) {
      if (!v.meta().replicated()) {
        throw new DriverException(ErrorCode.FAILED_PRECONDITION, "replication is not enabled on volume " + v.id());
      }
      if (v.meta().role != VolumeInfo.Role.PRIMARY) {
        throw new DriverException(ErrorCode.FAILED_PRECONDITION, "volume " + v.id() + " is not primary on this site");
      }
    }
    String key = key(r);
    Unit unit = Unit.resolve(store, key);
    boolean paused = unit != null ? unit.paused() : r.volumes().get(0).meta().paused;
    return reporter.report(r.volumes().get(0).meta(), replicator.state(key), paused);
  }

  /**
   * Pauses or resumes. Pausing waits for a sync in flight, so once it returns the peer's replica
   * no longer changes.
   */
  public void pause(Target target, boolean pause) {
    TargetVolumes r = targets.resolve(target);
    Targets.requireReplicated(r);
    targets.withLocks(
        r.volumes(),
        () -> {
          for (Volume v : r.volumes()) {
            v.updateMeta(m -> m.paused = pause);
          }
          if (r.group() != null) {
            store.putGroup(store.group(r.group().id()).withPaused(pause));
          }
          return null;
        });
    if (!pause) {
      r.volumes().forEach(v -> scheduler.trigger(Unit.keyFor(store, v.id())));
    }
  }

  /** Starts a target's sync now (it still skips a paused target). */
  public void syncNow(Target target) {
    scheduler.trigger(key(targets.resolve(target)));
  }

  private String key(TargetVolumes r) {
    return r.group() != null ? Unit.groupKey(r.group().id()) : Unit.keyFor(store, r.volumes().get(0).id());
  }

  /** Where the last sync of a target shipped in this run spent its time (empty before the first). */
  public Map<String, Duration> lastSyncPhases(Target target) {
    TargetVolumes r = targets.resolve(target);
    if (r.volumes().isEmpty()) {
      return Map.of();
    }
    return replicator.lastPhases(key(r));
  }

  public boolean paused(Target target) {
    TargetVolumes r = targets.resolve(target);
    if (r.group() != null) {
      return r.group().paused() || r.volumes().stream().anyMatch(v -> v.meta().paused);
    }
    Volume v = r.volumes().get(0);
    return v.meta().paused || store.groupOf(v.id()).map(GroupMeta::paused).orElse(false);
  }
}
