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
 */
public record GroupMeta(
    String id,
    String name,
    List<String> volumeIds,
    Map<String, String> parameters,
    VolumeInfo.Role role,
    String schedulingInterval,
    boolean paused,
    Instant createdAt) {

  public GroupMeta {
    volumeIds = List.copyOf(volumeIds);
    parameters = parameters == null ? Map.of() : Map.copyOf(parameters);
    role = role == null ? VolumeInfo.Role.NONE : role;
  }

  public boolean replicated() {
    return role != VolumeInfo.Role.NONE;
  }

  public GroupMeta withVolumeIds(List<String> ids) {
    return new GroupMeta(id, name, ids, parameters, role, schedulingInterval, paused, createdAt);
  }

  public GroupMeta withRole(VolumeInfo.Role newRole) {
    return new GroupMeta(id, name, volumeIds, parameters, newRole, schedulingInterval, paused, createdAt);
  }

  public GroupMeta withSchedulingInterval(String interval) {
    return new GroupMeta(id, name, volumeIds, parameters, role, interval, paused, createdAt);
  }

  public GroupMeta withPaused(boolean isPaused) {
    return new GroupMeta(id, name, volumeIds, parameters, role, schedulingInterval, isPaused, createdAt);
  }
}
