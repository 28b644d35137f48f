package dev.replcert.layer1.identity;

import dev.replcert.api.csiaddons.identity.Capability;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which profile capabilities a driver announces through csi-addons GetCapabilities, and under
 * which name. Capabilities outside this map (pause/resume, node data path, volume modes, ...) are
 * not announced by csi-addons and are checked by their own suites.
 */
final class CapabilityMapping {

  static final Map<dev.replcert.harness.config.Capability, String> ADVERTISED = new LinkedHashMap<>();

  static {
    ADVERTISED.put(dev.replcert.harness.config.Capability.REPLICATION, "VolumeReplication.VOLUME_REPLICATION");
    ADVERTISED.put(
        dev.replcert.harness.config.Capability.REPLICATION_DESTINATION_INFO,
        "VolumeReplication.GET_REPLICATION_DESTINATION_INFO");
    ADVERTISED.put(dev.replcert.harness.config.Capability.VOLUME_GROUP, "VolumeGroup.VOLUME_GROUP");
    ADVERTISED.put(dev.replcert.harness.config.Capability.NETWORK_FENCE, "NetworkFence.NETWORK_FENCE");
  }

  private CapabilityMapping() {}

  /** The mapped names among what the driver advertises (other advertised items are ignored). */
  static Set<String> advertised(List<Capability> capabilities) {
    Set<String> names = new TreeSet<>();
    for (Capability c : capabilities) {
      String name =
          switch (c.getTypeCase()) {
            case VOLUME_REPLICATION -> "VolumeReplication." + c.getVolumeReplication().getType();
            case VOLUME_GROUP -> "VolumeGroup." + c.getVolumeGroup().getType();
            case NETWORK_FENCE -> "NetworkFence." + c.getNetworkFence().getType();
            default -> null;
          };
      if (name != null && ADVERTISED.containsValue(name)) {
        names.add(name);
      }
    }
    return names;
  }
}
