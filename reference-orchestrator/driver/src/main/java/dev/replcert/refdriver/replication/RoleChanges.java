package dev.replcert.refdriver.replication;

import dev.replcert.refdriver.Defect;
import dev.replcert.refdriver.DriverException;
import dev.replcert.refdriver.DriverOptions;
import dev.replcert.refdriver.ErrorCode;
import dev.replcert.refdriver.link.PeerLink;
import dev.replcert.refdriver.link.PeerUnreachableException;
import dev.replcert.refdriver.link.proto.Role;
import dev.replcert.refdriver.link.proto.VolumeState;
import dev.replcert.refdriver.site.ReplicationStatus;
import dev.replcert.refdriver.site.Target;
import dev.replcert.refdriver.site.VolumeInfo;
import dev.replcert.refdriver.storage.GroupMeta;
import dev.replcert.refdriver.storage.SiteStore;
import dev.replcert.refdriver.storage.Volume;
import io.grpc.StatusRuntimeException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The csi-addons replication operations on one site (enable, disable, promote, demote, resync,
 * status) and the pause/resume extension. Each takes the replication locks of the volumes it
 * changes, so it never interleaves with a sync of them.
 */
public final class RoleChanges {

  /** How long an operation waits for a sync in flight before answering ABORTED. */
  private static final Duration LOCK_WAIT = Duration.ofSeconds(30);

  private final DriverOptions options;
  private final SiteStore store;
  private final PeerLink link;
  private final Replicator replicator;
  private final SyncScheduler scheduler;
  private final StatusReporter reporter;
  private final CountDownLatch closed;

  public RoleChanges(
      DriverOptions options,
      SiteStore store,
      PeerLink link,
      Replicator replicator,
      SyncScheduler scheduler,
      CountDownLatch closed) {
    this.options = options;
    this.store = store;
    this.link = link;
    this.replicator = replicator;
    this.scheduler = scheduler;
    this.reporter = new StatusReporter(options, link);
    this.closed = closed;
  }

  /** The volumes (sorted by id) and group an operation applies to. */
  record Resolved(Target target, GroupMeta group, List<Volume> volumes) {
    String unitKey() {
      return group != null ? Unit.groupKey(group.id()) : Unit.volumeKey(volumes.get(0).id());
    }

    Unit unit() {
      return new Unit(unitKey(), group, volumes);
    }

    List<String> ids() {
      return volumes.stream().map(Volume::id).toList();
    }
  }

  Resolved resolve(Target target) {
    if (target.kind() == Target.Kind.VOLUME) {
      return new Resolved(target, null, List.of(store.requireVolume(target.id())));
    }
    GroupMeta group = store.group(target.id());
    if (group == null) {
      throw new DriverException(ErrorCode.NOT_FOUND, "volume group " + target.id() + " not found");
    }
    return new Resolved(
        target, group, group.volumeIds().stream().map(store::volume).filter(Objects::nonNull).sorted(
            java.util.Comparator.comparing(Volume::id)).toList());
  }

  // ---------------------------------------------------------------- enable / disable

  /**
   * Enables replication: this site becomes primary at a new epoch unless the peer already holds the
   * primary (then it is a secondary). Creates the peer's replicas now if it can, and starts the
   * initial full sync. Already enabled: nothing to do.
   */
  public void enable(Target target, Map<String, String> parameters) {
    Resolved r = resolve(target);
    String interval = parameters == null ? null : parameters.get("schedulingInterval");
    if (interval != null && !interval.isBlank()) {
      try {
        GoDuration.parse(interval);
      } catch (IllegalArgumentException e) {
        throw new DriverException(ErrorCode.INVALID_ARGUMENT, "schedulingInterval: " + e.getMessage());
      }
    }
    List<Volume> off = r.volumes().stream().filter(v -> !v.meta().replicated()).toList();
    if (off.isEmpty() && (r.group() == null || r.group().replicated())) {
      return;
    }
    Map<String, VolumeState> peer = peerStateOrNull(r.ids());
    boolean peerPrimary =
        peer != null && peer.values().stream().anyMatch(s -> s.getExists() && s.getRole() == Role.ROLE_PRIMARY);
    long peerEpoch = peer == null ? 0 : peer.values().stream().mapToLong(VolumeState::getEpoch).max().orElse(0);
    withLocks(
        off,
        () -> {
          for (Volume v : off) {
            v.updateMeta(
                m -> {
                  m.schedulingInterval = interval;
                  m.paused = false;
                  m.divergent = false;
                  m.resyncRequested = false;
                  m.demoted = false;
                  if (peerPrimary) {
                    m.role = VolumeInfo.Role.SECONDARY;
                  } else {
                    m.role = VolumeInfo.Role.PRIMARY;
                    m.epoch = Math.max(m.epoch, peerEpoch) + 1;
                    m.seq = 0;
                  }
                });
          }
          if (r.group() != null) {
            store.putGroup(
                store.group(r.group().id())
                    .withRole(peerPrimary ? VolumeInfo.Role.SECONDARY : VolumeInfo.Role.PRIMARY)
                    .withSchedulingInterval(interval));
          }
          return null;
        });
    replicator.reset(r.unitKey());
    scheduler.reconcile();
    Resolved now = resolve(target);
    if (!peerPrimary && !now.volumes().isEmpty()) {
      replicator.ensureReplicasNow(now.unit(), now.unit().primaries());
      scheduler.trigger(Unit.keyFor(store, now.volumes().get(0).id()));
    }
  }

  /** Stops replicating here: the volumes become ordinary (writable) ones; the peer keeps its replica. */
  public void disable(Target target) {
    Resolved r = resolve(target);
    List<Volume> on = r.volumes().stream().filter(v -> v.meta().replicated()).toList();
    withLocks(
        on,
        () -> {
          for (Volume v : on) {
            v.updateMeta(
                m -> {
                  m.role = VolumeInfo.Role.NONE;
                  m.paused = false;
                  m.divergent = false;
                  m.resyncRequested = false;
                  m.demoted = false;
                });
          }
          if (r.group() != null && r.group().replicated()) {
            store.putGroup(store.group(r.group().id()).withRole(VolumeInfo.Role.NONE).withPaused(false));
          }
          return null;
        });
    replicator.reset(r.unitKey());
    scheduler.reconcile();
  }

  // ---------------------------------------------------------------- promote / demote

  /**
   * Promotes to primary at a new epoch. Without force the peer must be reachable and not primary
   * (the planned switch after its demote); with force it happens regardless, and the data is the
   * last sync applied here.
   */
  public void promote(Target target, boolean force) {
    Resolved r = resolve(target);
    requireReplicated(r);
    List<Volume> toPromote = r.volumes().stream().filter(v -> v.meta().role != VolumeInfo.Role.PRIMARY).toList();
    if (toPromote.isEmpty()) {
      setGroupRole(r, VolumeInfo.Role.PRIMARY);
      return;
    }
    boolean forced = force && !options.has(Defect.FORCE_IGNORED);
    withLocks(
        toPromote,
        () -> {
          Map<String, VolumeState> peer = peerStateOrNull(r.ids());
          if (!forced) {
            if (peer == null) {
              throw new DriverException(
                  ErrorCode.FAILED_PRECONDITION,
                  "peer site unreachable (" + link.problem() + "); use force to promote without it");
            }
            VolumeState primary =
                peer.values().stream().filter(s -> s.getRole() == Role.ROLE_PRIMARY).findFirst().orElse(null);
            if (primary != null && !options.has(Defect.SPLIT_BRAIN_ALLOWED)) {
              throw new DriverException(
                  ErrorCode.FAILED_PRECONDITION,
                  "the peer site is primary for volume " + primary.getVolumeId() + " (epoch " + primary.getEpoch()
                      + "); demote it first, or use force");
            }
          }
          long epoch =
              Math.max(
                      r.volumes().stream().mapToLong(v -> v.meta().epoch).max().orElse(0),
                      peer == null ? 0 : peer.values().stream().mapToLong(VolumeState::getEpoch).max().orElse(0))
                  + 1;
          for (Volume v : toPromote) {
            if (forced && options.has(Defect.PROMOTE_ROLLS_BACK)) {
              rollBackToFirstSync(v);
            }
            v.ioLock().lock();
            try {
              v.updateMeta(
                  m -> {
                    m.role = VolumeInfo.Role.PRIMARY;
                    m.epoch = epoch;
                    m.seq = 0;
                    m.divergent = false;
                    m.resyncRequested = false;
                    m.demoted = false;
                  });
            } finally {
              v.ioLock().unlock();
            }
          }
          setGroupRole(r, VolumeInfo.Role.PRIMARY);
          return null;
        });
    replicator.reset(r.unitKey());
    scheduler.reconcile();
    scheduler.trigger(Unit.keyFor(store, r.volumes().get(0).id()));
  }

  /** PROMOTE_ROLLS_BACK: the kept copy of the first applied sync replaces the data. */
  private static void rollBackToFirstSync(Volume volume) {
    Path kept = DeltaApplier.firstSyncCopy(volume);
    if (!Files.exists(kept)) {
      return;
    }
    Path staging = volume.stagingPath("rollback");
    volume.ioLock().lock();
    try {
      try {
        Files.copy(kept, staging, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
      java.util.BitSet allocated;
      try (var image = dev.replcert.refdriver.storage.VolumeFile.open(staging, volume.capacity())) {
        allocated = image.scanNonZero();
      }
      volume.replaceImage(staging, allocated);
    } finally {
      volume.ioLock().unlock();
    }
  }

  /**
   * Demotes to secondary. New writes are refused from the start; with the peer reachable and not
   * primary, a final sync ships everything first (it must finish before {@code deadline}, or the
   * volume stays primary: DEADLINE_EXCEEDED). Without that final sync (peer unreachable, peer
   * already primary) the volume holds writes the peer lacks: it is marked divergent and can only
   * follow a primary again after a resync.
   */
  public void demote(Target target, Instant deadline) {
    Resolved r = resolve(target);
    requireReplicated(r);
    List<Volume> primaries = r.volumes().stream().filter(v -> v.meta().role == VolumeInfo.Role.PRIMARY).toList();
    if (primaries.isEmpty()) {
      setGroupRole(r, VolumeInfo.Role.SECONDARY);
      return;
    }
    if (options.has(Defect.DEMOTE_HANGS)) {
      hangUntilClosed();
    }
    primaries.forEach(v -> v.setDemoting(true));
    try {
      List<ReentrantLock> locks = Locks.repl(primaries);
      if (!Locks.all(locks, deadline)) {
        throw new DriverException(
            ErrorCode.DEADLINE_EXCEEDED, "a sync of " + r.target() + " in flight did not end before the deadline");
      }
      try {
        boolean divergent = !finalSync(r, primaries, deadline);
        for (Volume v : primaries) {
          v.ioLock().lock();
          try {
            v.updateMeta(
                m -> {
                  m.role = VolumeInfo.Role.SECONDARY;
                  m.divergent = divergent;
                  m.resyncRequested = false;
                  m.demoted = true;
                  m.paused = false;
                });
          } finally {
            v.ioLock().unlock();
          }
        }
        setGroupRole(r, VolumeInfo.Role.SECONDARY);
      } finally {
        Locks.unlockAll(locks);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DriverException(ErrorCode.ABORTED, "demote of " + r.target() + " interrupted");
    } finally {
      primaries.forEach(v -> v.setDemoting(false));
    }
    replicator.reset(r.unitKey());
  }

  /** Ships the last changes; true when the peer now holds everything this site has. */
  private boolean finalSync(Resolved r, List<Volume> primaries, Instant deadline) throws InterruptedException {
    Map<String, VolumeState> peer = peerStateOrNull(r.ids());
    if (peer == null || peer.values().stream().anyMatch(s -> s.getRole() == Role.ROLE_PRIMARY)) {
      return false;
    }
    if (options.has(Defect.DEMOTE_SKIPS_FINAL_SYNC)) {
      return true; // the defect: claims to be in sync without shipping the last writes
    }
    Outcome outcome = replicator.sync(r.unit(), primaries, deadline);
    if (outcome.kind() == Outcome.Kind.DEADLINE || (!outcome.shipped() && Instant.now().isAfter(deadline))) {
      throw new DriverException(
          ErrorCode.DEADLINE_EXCEEDED, "the final sync of " + r.target() + " did not finish before the deadline");
    }
    return outcome.shipped();
  }

  private void hangUntilClosed() {
    try {
      closed.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DriverException(ErrorCode.ABORTED, "demote interrupted");
    }
    throw new DriverException(ErrorCode.UNAVAILABLE, "the site is shutting down");
  }

  // ---------------------------------------------------------------- resync

  /**
   * Resynchronises a diverged secondary: asks the primary for a full sync and answers false until it
   * is applied, true once the volumes hold the primary's data at a common sync point.
   */
  public boolean resync(Target target, boolean force) {
    Resolved r = resolve(target);
    requireReplicated(r);
    for (Volume v : r.volumes()) {
      if (v.meta().role == VolumeInfo.Role.PRIMARY) {
        throw new DriverException(
            ErrorCode.FAILED_PRECONDITION, "volume " + v.id() + " is primary; only a demoted (secondary) volume resyncs");
      }
    }
    List<Volume> diverged = r.volumes().stream().filter(v -> v.meta().divergent).toList();
    List<Volume> behind = r.volumes().stream().filter(v -> v.meta().syncPoint == null).toList();
    if (diverged.isEmpty() && behind.isEmpty()) {
      return true;
    }
    for (Volume v : diverged) {
      if (!v.meta().resyncRequested) {
        v.updateMeta(m -> m.resyncRequested = m.divergent);
      }
    }
    if (!diverged.isEmpty()) {
      try {
        link.requestResync(diverged.stream().map(Volume::id).toList(), Replicator.CALL_TIMEOUT);
      } catch (PeerUnreachableException | StatusRuntimeException e) {
        // asked again at the next call; the primary also sees the request in GetState
      }
    }
    return options.has(Defect.RESYNC_READY_EARLY);
  }

  // ---------------------------------------------------------------- status, pause

  public ReplicationStatus status(Target target) {
    Resolved r = resolve(target);
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
    String key = r.group() != null ? Unit.groupKey(r.group().id()) : Unit.keyFor(store, r.volumes().get(0).id());
    Unit unit = Unit.resolve(store, key);
    boolean paused = unit != null ? unit.paused() : r.volumes().get(0).meta().paused;
    return reporter.report(r.volumes().get(0).meta(), replicator.state(key), paused);
  }

  public void pause(Target target, boolean pause) {
    Resolved r = resolve(target);
    requireReplicated(r);
    for (Volume v : r.volumes()) {
      v.updateMeta(m -> m.paused = pause);
    }
    if (r.group() != null) {
      store.putGroup(store.group(r.group().id()).withPaused(pause));
    }
    if (!pause) {
      r.volumes().forEach(v -> scheduler.trigger(Unit.keyFor(store, v.id())));
    }
  }

  public boolean paused(Target target) {
    Resolved r = resolve(target);
    if (r.group() != null) {
      return r.group().paused() || r.volumes().stream().anyMatch(v -> v.meta().paused);
    }
    Volume v = r.volumes().get(0);
    return v.meta().paused || store.groupOf(v.id()).map(GroupMeta::paused).orElse(false);
  }

  // ---------------------------------------------------------------- group membership

  /**
   * A replicated group's membership changed: new members replicate with the group (in its role
   * here), removed ones stop replicating. The caller has already stored the new membership.
   */
  public void membersChanged(GroupMeta group, List<Volume> added, List<Volume> removed) {
    if (group.replicated()) {
      long epoch =
          group.volumeIds().stream()
              .map(store::volume)
              .filter(Objects::nonNull)
              .mapToLong(v -> v.meta().epoch)
              .max()
              .orElse(1);
      List<Volume> joining = added.stream().filter(v -> !v.meta().replicated()).toList();
      withLocks(
          joining,
          () -> {
            for (Volume v : joining) {
              v.updateMeta(
                  m -> {
                    m.role = group.role();
                    m.epoch = Math.max(m.epoch, epoch);
                    m.seq = 0;
                    m.divergent = false;
                    m.resyncRequested = false;
                  });
            }
            return null;
          });
      withLocks(
          removed,
          () -> {
            removed.forEach(v -> v.updateMeta(m -> m.role = VolumeInfo.Role.NONE));
            return null;
          });
      replicator.reset(Unit.groupKey(group.id()));
    }
    scheduler.reconcile();
  }

  // ---------------------------------------------------------------- helpers

  private static void requireReplicated(Resolved r) {
    if (r.group() != null && !r.group().replicated() && r.volumes().stream().noneMatch(v -> v.meta().replicated())) {
      throw new DriverException(ErrorCode.FAILED_PRECONDITION, "replication is not enabled on " + r.target());
    }
    for (Volume v : r.volumes()) {
      if (!v.meta().replicated()) {
        throw new DriverException(ErrorCode.FAILED_PRECONDITION, "replication is not enabled on volume " + v.id());
      }
    }
  }

  private void setGroupRole(Resolved r, VolumeInfo.Role role) {
    if (r.group() != null) {
      GroupMeta group = store.group(r.group().id());
      if (group != null && group.role() != role) {
        store.putGroup(group.withRole(role));
      }
    }
  }

  private Map<String, VolumeState> peerStateOrNull(List<String> ids) {
    try {
      Map<String, VolumeState> states = new java.util.HashMap<>();
      link.getState(ids, Replicator.CALL_TIMEOUT).getVolumesList().forEach(s -> states.put(s.getVolumeId(), s));
      return states;
    } catch (PeerUnreachableException | StatusRuntimeException e) {
      return null;
    }
  }

  private <T> T withLocks(List<Volume> volumes, java.util.function.Supplier<T> body) {
    List<ReentrantLock> locks = Locks.repl(volumes);
    try {
      if (!Locks.all(locks, Instant.now().plus(LOCK_WAIT))) {
        throw new DriverException(ErrorCode.ABORTED, "another operation on these volumes is in progress");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DriverException(ErrorCode.ABORTED, "interrupted while waiting for the volumes");
    }
    try {
      return body.get();
    } finally {
      Locks.unlockAll(locks);
    }
  }
}
