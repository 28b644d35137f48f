package dev.replcert.refdriver.site;

import java.util.List;
import java.util.Map;

/** A volume group on one site. */
public record VolumeGroupInfo(String groupId, String name, List<VolumeInfo> volumes, Map<String, String> context) {

  public VolumeGroupInfo {
    volumes = List.copyOf(volumes);
    context = context == null ? Map.of() : Map.copyOf(context);
  }
}
