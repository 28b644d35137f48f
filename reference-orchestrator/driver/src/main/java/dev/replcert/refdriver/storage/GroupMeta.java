package dev.replcert.refdriver.storage;

import dev.replcert.refdriver.site.VolumeInfo;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A volume group as persisted ({@code groups/<id>.json}). The member list here is the one source
 * of truth for membership.
 *
 * @param role NONE = not replicated as a group; PRIMARY / SECONDARY = group replication enabled
 * @param released a replica group (SECONDARY, fed by the peer) DeleteVolumeGroup was called for.
 *     As {@link VolumeMeta#released} for a volume: the old primary's cluster deletes its
 *     VolumeGroupReplication after a relocate or failover away, and the move back restores a
 *     VolumeGroupReplicationContent with the same handle, so the group stays, keeps its members and
 *     keeps receiving syncs as one. ListVolumeGroups no longer shows it; ModifyVolumeGroupMembership,
 *     Enable, Promote or a CreateVolumeGroup of the same name claim it again; the primary's disable
 *     deletes it (DropReleased). Absent in files written before it existed: false.
 */
public record GroupMeta(
    String id,
    String name,
    List<String> volumeIds,
    Map<String, String> parameters,
    VolumeInfo.Role role,
    String schedulingInterval,
    boolean paused,
    Instant createdAt,
    boolean released) {

  public GroupMeta {
    volumeIds = List.copyOf(volumeIds);
    parameters = parameters == null ? Map.of() : Map.copyOf(parameters);
    role = role == null ? VolumeInfo.Role.NONE : role;
  }

  public boolean replicated() {
    return role != VolumeInfo.Role.NONE;
  }

  public GroupMeta withVolumeIds(List<String> ids) {
    return new GroupMeta(id, name, ids, parameters, role, schedulingInterval, paused, createdAt, released);
  }

  public GroupMeta withRole(VolumeInfo.Role newRole) {
    return new GroupMeta(id, name, volumeIds, parameters, newRole, schedulingInterval, paused, createdAt, released);
  }

  public GroupMeta withSchedulingInterval(String interval) {
    return new GroupMeta(id, name, volumeIds, parameters, role, interval, paused, createdAt, released);
  }

  public GroupMeta withPaused(boolean isPaused) {
    return new GroupMeta(id, name, volumeIds, parameters, role, schedulingInterval, isPaused, createdAt, released);
  }

  public GroupMeta withReleased(boolean isReleased) {
    return new GroupMeta(id, name, volumeIds, parameters, role, schedulingInterval, paused, createdAt, isReleased);
  }
}
