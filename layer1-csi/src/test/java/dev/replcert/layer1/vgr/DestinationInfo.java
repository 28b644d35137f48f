package dev.replcert.layer1.vgr;

import static org.assertj.core.api.Assertions.assertThat;

import dev.replcert.api.k8s.CsiAddons.ConditionType;
import dev.replcert.layer1.kube.GroupStatus;
import io.openshift.storage.replication.v1alpha1.volumegroupreplicationcontentstatus.PersistentVolumeMappingList;
import java.util.List;

/**
 * The destination half of a VolumeGroupReplicationContent's volume mappings, checked only where
 * the group reports destination info. csi-addons fills {@code destinationVolumeHandle} from
 * GetReplicationDestinationInfo, which not every csi-addons release calls (nor the lab's controller
 * yet), so the driver's {@code replication-destination-info} claim alone cannot make it required:
 * the field depends on the controller installed, not only on the driver. What is checked instead can
 * fail: once the group says it has destination info (its VR's DestinationInfoAvailable=True, or any
 * mapping carrying a destination), every member's mapping must carry a destination of its own.
 */
final class DestinationInfo {

  private DestinationInfo() {}

  static boolean reported(GroupStatus group) {
    boolean condition = group.vr().condition(ConditionType.DESTINATION_INFO_AVAILABLE)
        .filter(c -> "True".equals(c.getStatus())).isPresent();
    return condition || group.mappings().stream().anyMatch(DestinationInfo::hasDestination);
  }

  /** Nothing reported, or every member with a distinct destination: what a wait should reach. */
  static boolean consistent(GroupStatus group) {
    if (!reported(group)) {
      return true;
    }
    List<String> destinations = group.mappings().stream()
        .map(PersistentVolumeMappingList::getDestinationVolumeHandle).toList();
    return !group.mappings().isEmpty()
        && group.mappings().stream().allMatch(DestinationInfo::hasDestination)
        && destinations.stream().distinct().count() == destinations.size();
  }

  static void assertConsistent(GroupStatus group) {
    if (!reported(group)) {
      return;
    }
    List<String> destinations = group.mappings().stream()
        .map(PersistentVolumeMappingList::getDestinationVolumeHandle).toList();
    assertThat(group.mappings())
        .as("the group reports destination info, so every member's mapping needs a destinationVolumeHandle: %s",
            group)
        .isNotEmpty()
        .allMatch(DestinationInfo::hasDestination);
    assertThat(destinations)
        .as("each member replicates to a volume of its own on the peer: %s", group)
        .doesNotHaveDuplicates();
  }

  private static boolean hasDestination(PersistentVolumeMappingList mapping) {
    return mapping.getDestinationVolumeHandle() != null && !mapping.getDestinationVolumeHandle().isBlank();
  }
}
