package dev.replcert.lab.substrate.csiaddons;

import dev.replcert.api.csiaddons.replication.ControllerGrpc;
import dev.replcert.api.csiaddons.replication.GetReplicationDestinationInfoRequest;
import dev.replcert.api.csiaddons.replication.ReplicationDestination;
import dev.replcert.api.csiaddons.replication.ReplicationSource;
import io.grpc.Channel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.openshift.storage.replication.v1alpha1.VolumeReplicationStatus;
import io.openshift.storage.replication.v1alpha1.volumegroupreplicationcontentstatus.PersistentVolumeMappingList;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * GetReplicationDestinationInfo of a primary, sent only to a driver that advertises VolumeReplication
 * {@code GET_REPLICATION_DESTINATION_INFO} (any other driver gets no call and no condition). A
 * volume's destination id goes to the VR's {@code status.destinationVolumeID}; a group's to its
 * VolumeGroupReplicationContent: {@code status.destinationVolumeGroupID} and each member's {@code
 * destinationVolumeHandle} from {@code volume_ids} (source → destination). The condition
 * DestinationInfoAvailable says how it went: DestinationInfoUpdated; DestinationInfoPending when
 * the driver answers UNAVAILABLE (the destination is not there yet) or a member has no destination
 * yet, asked again soon; FailedToGetDestinationInfo on any other error. A failure keeps the last
 * destination known.
 */
final class DestinationInfo {

  private final ControllerGrpc.ControllerBlockingStub replication;
  private final DriverCapabilities capabilities;
  private final ContentStatusWriter contents;
  private final Duration rpcTimeout;

  DestinationInfo(
      Channel channel,
      DriverCapabilities capabilities,
      ContentStatusWriter contents,
      Duration rpcTimeout) {
    this.replication = ControllerGrpc.newBlockingStub(channel);
    this.capabilities = capabilities;
    this.contents = contents;
    this.rpcTimeout = rpcTimeout;
  }

  /**
   * Asks for the destination of {@code source} (a group's content is {@code contentName}, null for
   * a volume) and records it; true while it is pending, so the caller looks again soon.
   */
  boolean update(
      ReplicationSource source,
      Map<String, String> secrets,
      VolumeReplicationStatus status,
      ReplicationConditions conditions,
      String contentName) {
    if (!capabilities.replicationDestinationInfo()) {
      return false;
    }
    ReplicationDestination destination;
    try {
      destination =
          replication
              .withDeadlineAfter(rpcTimeout.toMillis(), TimeUnit.MILLISECONDS)
              .getReplicationDestinationInfo(
                  GetReplicationDestinationInfoRequest.newBuilder()
                      .setReplicationSource(source)
                      .putAllSecrets(secrets)
                      .build())
              .getReplicationDestination();
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() == Status.Code.UNAVAILABLE) {
        conditions.destinationPending(VolumeReplicationReconciler.message(e));
        return true;
      }
      conditions.destinationFailed(VolumeReplicationReconciler.message(e));
      return false;
    }
    boolean group = contentName != null;
    if (group ? !destination.hasVolumegroup() : !destination.hasVolume()) {
      conditions.destinationFailed(
          "the driver answered no " + (group ? "volume group" : "volume") + " destination");
      return false;
    }
    if (!group) {
      status.setDestinationVolumeID(destination.getVolume().getVolumeId());
      conditions.destinationUpdated();
      return false;
    }
    List<String> missing = recordGroup(contentName, destination.getVolumegroup());
    if (!missing.isEmpty()) {
      conditions.destinationPending("no destination for volumes " + missing);
      return true;
    }
    conditions.destinationUpdated();
    return false;
  }

  /** Writes the group's destinations into its content; the member handles without one. */
  private List<String> recordGroup(
      String contentName, ReplicationDestination.VolumeGroupDestination group) {
    List<String> missing = new ArrayList<>();
    contents.edit(
        contentName,
        status -> {
          status.setDestinationVolumeGroupID(group.getVolumeGroupId());
          List<PersistentVolumeMappingList> members =
              status.getPersistentVolumeMappingList() == null
                  ? List.of()
                  : status.getPersistentVolumeMappingList();
          for (PersistentVolumeMappingList member : members) {
            String target = group.getVolumeIdsMap().get(member.getVolumeHandle());
            if (target == null) {
              missing.add(member.getVolumeHandle());
            } else {
              member.setDestinationVolumeHandle(target);
            }
          }
        });
    return missing;
  }
}
