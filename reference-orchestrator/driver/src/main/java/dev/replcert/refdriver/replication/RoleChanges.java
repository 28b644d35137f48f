package dev.replcert.refdriver.replication;

import dev.replcert.refdriver.Defect;
import dev.replcert.refdriver.DriverException;
import dev.replcert.refdriver.DriverOptions;
import dev.replcert.refdriver.ErrorCode;
import dev.replcert.refdriver.link.PeerLink;
import dev.replcert.refdriver.link.PeerUnreachableException;
import dev.replcert.refdriver.link.PeerUnreachableException;
import dev.replcert.refdriver.link.proto.Role;
import dev.replcert.refdriver.link.proto.VolumeState;
import dev.replcert.refdriver.site.Target;
import dev.replcert.refdriver.site.VolumeInfo;
import dev.replcert.refdriver.storage.SiteStore;
import dev.replcert.refdriver.storage.Volume;
import dev.replcert.refdriver.storage.VolumeFile;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.ReentrantLock;

/**
 * PromoteVolume, DemoteVolume and ResyncVolume: the role switches of planned relocation and
 * failover, and the resynchronisation of a diverged old primary. Each takes the replication locks
 * of the volumes it changes, so it never interleaves with a sync of them.
 */
public final class RoleChanges {

  private final DriverOptions options;
  private final SiteStore store;
  private final Targets targets;
  private final PeerLink link;
  private final Replicator replicator;
  private final SyncScheduler scheduler;
  private final CountDownLatch closed;

  /** @param closed counted down when the site closes (a hanging demote ends with it) */
  public RoleChanges(
      DriverOptions options,
      SiteStore store,
      PeerLink link,
      Replicator replicator,
      SyncScheduler scheduler,
      CountDownLatch closed) {
    this.options = options;
    this.store = store;
    this.targets = new Targets(store, link);
    this.link = link;
    this.replicator = replicator;
    this.scheduler = scheduler;
    this.closed = closed;
  }

  /**
   * Promotes to primary at a new epoch. Without force the peer must be reachable and not primary
   * (the planned switch after its demote); with force it happens regardless, and the data is the
   * last sync applied here.
   */
  public void promote(Target target, boolean force) {
    TargetVolumes r = targets.resolve(target);
    Targets.requireReplicated(r);
    List<Volume> toPromote = r.volumes().stream().filter(v -> v.meta().role != VolumeInfo.Role.PRIMARY).toList();
    if (toPromote.isEmpty()) {
      targets.setGroupRole(r, VolumeInfo.Role.PRIMARY);
      targets.claimGroup(r);
      return;
    }
    boolean forced = force && !options.has(Defect.FORCE_IGNORED);
    targets.withLocks(
        toPromote,
        () -> {
          Map<String, VolumeState> peer = targets.peerStateOrNull(r.ids());
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
            if (v.meta().role == VolumeInfo.Role.PRIMARY) {
              continue; // promoted meanwhile by another call
            }
            if (forced && options.has(Defect.PROMOTE_ROLLS_BACK)) {
              rollBackToFirstSync(v);
            }
            v.ioLock().lock();
            try {
              v.updateMeta(
                  m -> {
                    m.role = VolumeInfo.Role.PRIMARY;
                    m.released = false; // a restored PV's volume: a CSI volume here again
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
          targets.setGroupRole(r, VolumeInfo.Role.PRIMARY);
          targets.claimGroup(r);
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
        Files.copy(kept, staging, StandardCopyOption.REPLACE_EXISTING);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      BitSet allocated;
      try (var image = VolumeFile.open(staging, volume.capacity())) {
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
    TargetVolumes r = targets.resolve(target);
    Targets.requireReplicated(r);
    List<Volume> primaries = r.volumes().stream().filter(v -> v.meta().role == VolumeInfo.Role.PRIMARY).toList();
    if (primaries.isEmpty()) {
      targets.setGroupRole(r, VolumeInfo.Role.SECONDARY);
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
        targets.setGroupRole(r, VolumeInfo.Role.SECONDARY);
        targets.unpauseGroup(r);
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
  private boolean finalSync(TargetVolumes r, List<Volume> primaries, Instant deadline) throws InterruptedException {
    Duration timeout = Replicator.timeout(deadline);
    Map<String, VolumeState> peer;
    try {
      peer = Targets.byId(link.getState(r.ids(), timeout).getVolumesList());
    } catch (PeerUnreachableException e) {
      if (e.timedOut() && timeout.compareTo(Replicator.CALL_TIMEOUT) < 0) {
        throw new DriverException(
            ErrorCode.DEADLINE_EXCEEDED, "the peer did not answer before the deadline of the demote of " + r.target());
      }
      peer = null; // down: demote without the final sync
    } catch (StatusRuntimeException e) {
      peer = null;
    }
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

  /**
   * Resynchronises a diverged secondary: asks the primary for a full sync and answers false until it
   * is applied, true once the volumes hold the primary's data at a common sync point.
   */
  public boolean resync(Target target, boolean force) {
    TargetVolumes r = targets.resolve(target);
    Targets.requireReplicated(r);
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
}
