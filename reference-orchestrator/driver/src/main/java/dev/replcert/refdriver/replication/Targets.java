package dev.replcert.refdriver.replication;

import dev.replcert.refdriver.DriverException;
import dev.replcert.refdriver.ErrorCode;
import dev.replcert.refdriver.link.PeerLink;
import dev.replcert.refdriver.link.PeerUnreachableException;
import dev.replcert.refdriver.link.proto.VolumeState;
import dev.replcert.refdriver.site.Target;
import dev.replcert.refdriver.site.VolumeInfo;
import dev.replcert.refdriver.storage.GroupMeta;
import dev.replcert.refdriver.storage.SiteStore;
import dev.replcert.refdriver.storage.Volume;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * What every replication operation starts with: the volumes (and group) a target names, checks,
 * the peer's view of them, and the volumes' replication locks.
 */
final class Targets {

  /** How long an operation waits for a sync in flight before answering ABORTED. */
  private static final Duration LOCK_WAIT = Duration.ofSeconds(30);

  private final SiteStore store;
  private final PeerLink link;

  Targets(SiteStore store, PeerLink link) {
    this.store = store;
    this.link = link;
  }

  /** NOT_FOUND for an unknown volume or group. */
  TargetVolumes resolve(Target target) {
    if (target.kind() == Target.Kind.VOLUME) {
      return new TargetVolumes(target, null, List.of(store.requireVolume(target.id())));
    }
    GroupMeta group = store.group(target.id());
    if (group == null) {
      throw new DriverException(ErrorCode.NOT_FOUND, "volume group " + target.id() + " not found");
    }
    List<Volume> members =
        group.volumeIds().stream()
            .map(store::volume)
            .filter(Objects::nonNull)
            .sorted(Comparator.comparing(Volume::id))
            .toList();
    return new TargetVolumes(target, group, members);
  }

  static void requireReplicated(TargetVolumes r) {
    if (r.group() != null && !r.group().replicated() && r.volumes().stream().noneMatch(v -> v.meta().replicated())) {
      throw new DriverException(ErrorCode.FAILED_PRECONDITION, "replication is not enabled on " + r.target());
    }
    for (Volume v : r.volumes()) {
      if (!v.meta().replicated()) {
        throw new DriverException(ErrorCode.FAILED_PRECONDITION, "replication is not enabled on volume " + v.id());
      }
    }
  }

  void setGroupRole(TargetVolumes r, VolumeInfo.Role role) {
    if (r.group() != null) {
      GroupMeta group = store.group(r.group().id());
      if (group != null && group.role() != role) {
        store.putGroup(group.withRole(role));
      }
    }
  }

  /**
   * A demote ends a pause of the group as it ends its members' ({@code paused} is a primary's
   * switch): left on, the group would ship nothing once promoted here again.
   */
  void unpauseGroup(TargetVolumes r) {
    if (r.group() != null) {
      GroupMeta group = store.group(r.group().id());
      if (group != null && group.paused()) {
        store.putGroup(group.withPaused(false));
      }
    }
  }

  /**
   * Enable or Promote of a released replica group (a restored VolumeGroupReplicationContent's
   * handle): it is a CSI group here again, as {@code released} volumes are claimed by the same calls.
   */
  void claimGroup(TargetVolumes r) {
    if (r.group() != null) {
      GroupMeta group = store.group(r.group().id());
      if (group != null && group.released()) {
        store.putGroup(group.withReleased(false));
      }
    }
  }

  Map<String, VolumeState> peerStateOrNull(List<String> ids) {
    return peerStateOrNull(ids, Replicator.CALL_TIMEOUT);
  }

  /** The peer's state of the volumes, or null when it cannot be reached. */
  Map<String, VolumeState> peerStateOrNull(List<String> ids, Duration timeout) {
    try {
      return byId(link.getState(ids, timeout).getVolumesList());
    } catch (PeerUnreachableException | StatusRuntimeException e) {
      return null;
    }
  }

  /**
   * Best effort: the peer deletes the replicas of these volumes it had released. Unreachable, they
   * stay there as secondaries until replication is disabled there too.
   */
  void dropReleasedOnPeer(List<String> ids) {
    try {
      link.dropReleased(ids, Replicator.CALL_TIMEOUT);
    } catch (PeerUnreachableException | StatusRuntimeException e) {
      // nothing lost: the replicas stay secondaries of a volume that no longer replicates
    }
  }

  static Map<String, VolumeState> byId(List<VolumeState> states) {
    Map<String, VolumeState> byId = new HashMap<>();
    states.forEach(s -> byId.put(s.getVolumeId(), s));
    return byId;
  }

  <T> T withLocks(List<Volume> volumes, Supplier<T> body) {
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
