package dev.replcert.layer1.support;

import dev.replcert.api.csi.v1.DeleteVolumeRequest;
import dev.replcert.api.csiaddons.replication.GetReplicationDestinationInfoRequest;
import dev.replcert.api.csiaddons.replication.ReplicationDestination;
import dev.replcert.api.csiaddons.replication.ReplicationSource;
import dev.replcert.harness.config.Capability;
import dev.replcert.harness.config.CapabilityProfile;
import dev.replcert.harness.config.TimeoutOperation;
import dev.replcert.harness.track.ResourceTracker;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.List;
import java.util.Map;
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

  private final SiteDriver primary;
  private final SiteDriver peer;
  private final String groupId;
  private final List<String> volumeIds = new CopyOnWriteArrayList<>();
  private final Map<String, String> peerIds = new ConcurrentHashMap<>();
  private volatile String peerGroupId;

  private PeerReplicas(SiteDriver primary, SiteDriver peer, String groupId, List<String> volumeIds) {
    this.primary = primary;
    this.peer = peer;
    this.groupId = groupId;
    this.peerGroupId = groupId;
    volumeIds.forEach(this::add);
  }

  /** The replicas of a group (and of every volume that may ever join it: list them all). */
  public static PeerReplicas ofGroup(
      SiteDriver primary, SiteDriver peer, String groupId, List<String> volumeIds, ResourceTracker tracker) {
    return register(new PeerReplicas(primary, peer, groupId, volumeIds), tracker);
  }

  public static PeerReplicas ofVolume(
      SiteDriver primary, SiteDriver peer, String volumeId, ResourceTracker tracker) {
    return register(new PeerReplicas(primary, peer, null, List.of(volumeId)), tracker);
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

  private void remove() {
    for (int round = 0; round < 2; round++) {
      disable(primary, source());
      disable(peer, peerSource());
    }
    if (groupId != null) {
      VolumeGroups.delete(peer, peerGroupId);
    }
    for (String id : volumeIds) {
      RpcCalls.ignoringNotFound(
          () ->
              peer.stubs()
                  .controller()
                  .deleteVolume(
                      DeleteVolumeRequest.newBuilder()
                          .setVolumeId(peerVolume(id))
                          .putAllSecrets(peer.secrets())
                          .build()));
    }
  }

  private static void disable(SiteDriver site, ReplicationSource source) {
    try {
      site.disable(source);
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() != Status.Code.NOT_FOUND) {
        throw e;
      }
    }
  }

  private String describe() {
    return groupId != null ? "volume group " + groupId : "volume " + volumeIds.get(0);
  }
}
