package dev.replcert.refdriver.replication;

import dev.replcert.api.k8s.GoDuration;
import dev.replcert.refdriver.DriverException;
import dev.replcert.refdriver.ErrorCode;
import dev.replcert.refdriver.link.PeerLink;
import dev.replcert.refdriver.link.proto.Role;
import dev.replcert.refdriver.link.proto.VolumeState;
import dev.replcert.refdriver.site.Target;
import dev.replcert.refdriver.site.VolumeInfo;
import dev.replcert.refdriver.storage.GroupMeta;
import dev.replcert.refdriver.storage.SiteStore;
import dev.replcert.refdriver.storage.Volume;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * EnableVolumeReplication, DisableVolumeReplication, and group membership changes of replicated
 * groups. Each takes the replication locks of the volumes it changes.
 */
public final class Enablement {

  private final SiteStore store;
  private final Targets targets;
  private final Replicator replicator;
  private final SyncScheduler scheduler;

  public Enablement(SiteStore store, PeerLink link, Replicator replicator, SyncScheduler scheduler) {
    this.store = store;
    this.targets = new Targets(store, link);
    this.replicator = replicator;
    this.scheduler = scheduler;
  }

  /**
   * Enables replication: this site becomes primary at a new epoch unless the peer already holds the
   * primary (then it is a secondary). Creates the peer's replicas now if it can, and starts the
   * initial full sync. Already enabled: nothing to do.
   */
  public void enable(Target target, Map<String, String> parameters) {
    TargetVolumes r = targets.resolve(target);
    String interval = parameters == null ? null : parameters.get("schedulingInterval");
    if (interval != null && !interval.isBlank()) {
      try {
        GoDuration.parsePositive(interval);
      } catch (IllegalArgumentException e) {
        throw new DriverException(ErrorCode.INVALID_ARGUMENT, "schedulingInterval: " + e.getMessage());
      }
    }
    claim(r.volumes());
    targets.claimGroup(r);
    List<Volume> off = r.volumes().stream().filter(v -> !v.meta().replicated()).toList();
    if (off.isEmpty() && (r.group() == null || r.group().replicated())) {
      return;
    }
    Map<String, VolumeState> peer = targets.peerStateOrNull(r.ids());
    boolean peerPrimary =
        peer != null && peer.values().stream().anyMatch(s -> s.getExists() && s.getRole() == Role.ROLE_PRIMARY);
    long peerEpoch = peer == null ? 0 : peer.values().stream().mapToLong(VolumeState::getEpoch).max().orElse(0);
    targets.withLocks(
        off,
        () -> {
          for (Volume v : off) {
            if (v.meta().replicated()) {
              continue; // enabled meanwhile by another call
            }
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
    TargetVolumes now = targets.resolve(target);
    if (!peerPrimary && !now.volumes().isEmpty()) {
      replicator.ensureReplicasNow(now.unit(), now.unit().primaries());
      scheduler.trigger(Unit.keyFor(store, now.volumes().get(0).id()));
    }
  }

  /**
   * Stops replicating here: the volumes become ordinary (writable) ones. A secondary whose peer is
   * primary for it is the exception: a mirror's non-primary image cannot leave the mirror on its
   * own (ceph-csi answers success and keeps it), so it stays a secondary and keeps receiving syncs.
   * On a primary, the peer keeps its replicas, except those its CSI side already deleted (released):
   * those go now.
   */
  public void disable(Target target) {
    TargetVolumes r = targets.resolve(target);
    List<Volume> replicated = r.volumes().stream().filter(v -> v.meta().replicated()).toList();
    List<Volume> secondaries =
        replicated.stream().filter(v -> v.meta().role == VolumeInfo.Role.SECONDARY).toList();
    Map<String, VolumeState> peer =
        secondaries.isEmpty() ? null : targets.peerStateOrNull(secondaries.stream().map(Volume::id).toList());
    List<Volume> fed =
        peer == null
            ? List.of()
            : secondaries.stream()
                .filter(v -> peer.containsKey(v.id()))
                .filter(v -> peer.get(v.id()).getExists() && peer.get(v.id()).getRole() == Role.ROLE_PRIMARY)
                .toList();
    List<Volume> on = replicated.stream().filter(v -> !fed.contains(v)).toList();
    if (on.isEmpty()) {
      return;
    }
    List<String> wasPrimary =
        on.stream().filter(v -> v.meta().role == VolumeInfo.Role.PRIMARY).map(Volume::id).toList();
    targets.withLocks(
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
          if (r.group() != null && r.group().replicated() && fed.isEmpty()) {
            store.putGroup(store.group(r.group().id()).withRole(VolumeInfo.Role.NONE).withPaused(false));
          }
          return null;
        });
    replicator.reset(r.unitKey());
    scheduler.reconcile();
    if (!wasPrimary.isEmpty()) {
      targets.dropReleasedOnPeer(wasPrimary);
    }
  }

  /** Enable of a released replica (a restored PV with its handle): it is a CSI volume here again. */
  private static void claim(List<Volume> volumes) {
    for (Volume v : volumes) {
      if (v.meta().released) {
        v.updateMeta(m -> m.released = false);
      }
    }
  }

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
      targets.withLocks(
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
      targets.withLocks(
          removed,
          () -> {
            removed.forEach(v -> v.updateMeta(m -> m.role = VolumeInfo.Role.NONE));
            return null;
          });
      replicator.reset(Unit.groupKey(group.id()));
    }
    scheduler.reconcile();
  }
}
