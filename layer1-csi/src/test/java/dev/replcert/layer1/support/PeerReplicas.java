package dev.replcert.layer1.support;

import dev.replcert.harness.kube.Waits;
import dev.replcert.api.csi.v1.DeleteVolumeRequest;
import dev.replcert.api.csiaddons.replication.GetReplicationDestinationInfoRequest;
import dev.replcert.api.csiaddons.replication.ReplicationDestination;
import dev.replcert.api.csiaddons.replication.ReplicationSource;
import dev.replcert.harness.config.Capability;
import dev.replcert.harness.config.CapabilityProfile;
import dev.replcert.harness.config.TimeoutOperation;
import dev.replcert.harness.config.TimeoutProfile;
import dev.replcert.harness.track.ResourceTracker;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * What replication of one source (a volume or a volume group) creates on the peer site, and its
 * removal. The peer's ids come from GetReplicationDestinationInfo when the profile claims it;
 * otherwise the replica carries the source's ids (RBD mirroring and the reference driver).
 *
 * <p>Register it <em>before</em> enabling replication: its cleanup then runs after the source's
 * own disable and after every publication, and disables the source on both sites twice (a primary
 * that is still syncing may re-create the replica the first round just released) before it
 * deletes the peer's group and volumes.
 */
public final class PeerReplicas {

  private static final Set<Status.Code> RETRIED =
      Set.of(Status.Code.ABORTED, Status.Code.UNAVAILABLE, Status.Code.DEADLINE_EXCEEDED);

  /** A step tried when the cleanup limit is used up still gets this long. */
  private static final Duration MIN_ATTEMPT = Duration.ofMillis(200);

  private final SiteDriver primary;
  private final SiteDriver peer;
  private final Waits waits;
  private final Duration cleanupLimit;
  private final String groupId;
  private final List<String> volumeIds = new CopyOnWriteArrayList<>();
  private final Map<String, String> peerIds = new ConcurrentHashMap<>();
  private volatile String peerGroupId;

  private PeerReplicas(
      SiteDriver primary, SiteDriver peer, TimeoutProfile timeouts, String groupId, List<String> volumeIds) {
    this.primary = primary;
    this.peer = peer;
    this.waits = new Waits(timeouts);
    this.cleanupLimit = timeouts.of(TimeoutOperation.CLEANUP);
    this.groupId = groupId;
    this.peerGroupId = groupId;
    volumeIds.forEach(this::add);
  }

  /** The replicas of a group (and of every volume that may ever join it: list them all). */
  public static PeerReplicas ofGroup(
      SiteDriver primary,
      SiteDriver peer,
      String groupId,
      List<String> volumeIds,
      TimeoutProfile timeouts,
      ResourceTracker tracker) {
    return register(new PeerReplicas(primary, peer, timeouts, groupId, volumeIds), tracker);
  }

  public static PeerReplicas ofVolume(
      SiteDriver primary, SiteDriver peer, String volumeId, TimeoutProfile timeouts, ResourceTracker tracker) {
    return register(new PeerReplicas(primary, peer, timeouts, null, List.of(volumeId)), tracker);
  }

  private static PeerReplicas register(PeerReplicas replicas, ResourceTracker tracker) {
    tracker.track(
        "replicas of " + replicas.describe() + " on " + replicas.peer.site(), replicas::remove);
    return replicas;
  }

  private void add(String volumeId) {
    volumeIds.add(volumeId);
    peerIds.putIfAbsent(volumeId, volumeId);
  }

  /** The source as the primary names it. */
  public ReplicationSource source() {
    return groupId != null ? VolumeGroups.source(groupId) : SiteDriver.source(volumeIds.get(0));
  }

  /** The same source as the peer names it (to promote it there, or ask its status). */
  public ReplicationSource peerSource() {
    return groupId != null
        ? VolumeGroups.source(peerGroupId)
        : SiteDriver.source(peerVolume(volumeIds.get(0)));
  }

  public String peerVolume(String volumeId) {
    return peerIds.getOrDefault(volumeId, volumeId);
  }

  public String peerGroup() {
    return peerGroupId;
  }

  /**
   * With replication-destination-info claimed, waits until the primary maps every given member
   * and remembers the peer's ids; without it the peer holds the same ids.
   */
  public void learnPeerIds(CapabilityProfile profile, Waits waits, List<String> members) {
    members.forEach(id -> {
      if (!volumeIds.contains(id)) {
        add(id);
      }
    });
    if (!profile.claims(Capability.REPLICATION_DESTINATION_INFO)) {
      return;
    }
    ReplicationDestination destination =
        waits.until(
            primary.site() + ": GetReplicationDestinationInfo of " + describe() + " maps " + members,
            TimeoutOperation.REPLICATION_ESTABLISHED,
            this::destination,
            d -> mapsAll(d, members));
    if (destination.hasVolumegroup()) {
      peerGroupId = destination.getVolumegroup().getVolumeGroupId();
      peerIds.putAll(destination.getVolumegroup().getVolumeIdsMap());
    } else {
      peerIds.put(volumeIds.get(0), destination.getVolume().getVolumeId());
    }
  }

  /** GetReplicationDestinationInfo of the source on the primary. */
  public ReplicationDestination destination() {
    return primary
        .stubs()
        .replication()
        .getReplicationDestinationInfo(
            GetReplicationDestinationInfoRequest.newBuilder()
                .setReplicationSource(source())
                .putAllSecrets(primary.secrets())
                .build())
        .getReplicationDestination();
  }

  private boolean mapsAll(ReplicationDestination destination, List<String> members) {
    if (groupId != null) {
      return destination.hasVolumegroup()
          && !destination.getVolumegroup().getVolumeGroupId().isEmpty()
          && destination.getVolumegroup().getVolumeIdsMap().keySet().containsAll(members);
    }
    return destination.hasVolume() && !destination.getVolume().getVolumeId().isEmpty();
  }

  /** Every step is tried, each retried while the driver is busy; the first error is rethrown. */
  private void remove() {
    Instant deadline = Instant.now().plus(cleanupLimit);
    List<RuntimeException> errors = new ArrayList<>();
    for (int round = 0; round < 2; round++) {
      attempt(deadline, errors, "disable " + describe() + " on " + primary.site(), () -> primary.disable(source()));
      attempt(deadline, errors, "disable it on " + peer.site(), () -> peer.disable(peerSource()));
    }
    if (groupId != null) {
      attempt(deadline, errors, "delete volume group " + peerGroupId + " on " + peer.site(),
          () -> VolumeGroups.delete(peer, peerGroupId));
    }
    for (String id : volumeIds) {
      attempt(deadline, errors, "delete volume " + peerVolume(id) + " on " + peer.site(),
          () -> peer.stubs().controller().deleteVolume(
              DeleteVolumeRequest.newBuilder().setVolumeId(peerVolume(id)).putAllSecrets(peer.secrets()).build()));
    }
    if (!errors.isEmpty()) {
      RuntimeException first = errors.get(0);
      errors.subList(1, errors.size()).forEach(first::addSuppressed);
      throw first;
    }
  }

  /**
   * Runs a cleanup call until it is done (NOT_FOUND counts as done), retrying while the driver
   * answers ABORTED (an operation in flight), UNAVAILABLE or DEADLINE_EXCEEDED, within what is left
   * of the cleanup limit (all steps share it: a driver that stays busy costs one limit, not one per
   * step).
   */
  private void attempt(Instant deadline, List<RuntimeException> errors, String what, Runnable call) {
    Duration left = Duration.between(Instant.now(), deadline);
    try {
      Object outcome =
          waits.until(what + " (retried while the driver is busy or unreachable)",
              left.compareTo(MIN_ATTEMPT) > 0 ? left : MIN_ATTEMPT,
              () -> {
                try {
                  call.run();
                  return "done";
                } catch (StatusRuntimeException e) {
                  Status.Code code = e.getStatus().getCode();
                  if (code == Status.Code.NOT_FOUND) {
                    return "done";
                  }
                  if (RETRIED.contains(code)) {
                    throw e;
                  }
                  return e;
                }
              },
              result -> true);
      if (outcome instanceof RuntimeException e) {
        errors.add(e);
      }
    } catch (RuntimeException | AssertionError e) {
      errors.add(e instanceof RuntimeException r ? r : new IllegalStateException(e.getMessage(), e));
    }
  }

  private String describe() {
    return groupId != null ? "volume group " + groupId : "volume " + volumeIds.get(0);
  }
}
