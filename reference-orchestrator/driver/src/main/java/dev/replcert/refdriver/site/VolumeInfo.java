package dev.replcert.refdriver.site;

import java.util.Map;

/**
 * A volume on one site.
 *
 * @param role NONE (not replicated), PRIMARY or SECONDARY
 * @param groupId the volume group it belongs to, or null
 */
public record VolumeInfo(
    String volumeId, String name, long capacityBytes, Role role, String groupId, Map<String, String> context) {

  public enum Role {
    NONE,
    PRIMARY,
    SECONDARY
  }

  public VolumeInfo {
    context = context == null ? Map.of() : Map.copyOf(context);
  }
}
