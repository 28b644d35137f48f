package dev.replcert.orchestrator.vrg;

import dev.replcert.api.k8s.Ramen.VrgCondition;
import dev.replcert.api.k8s.Ramen.VrgState;
import dev.replcert.orchestrator.k8s.Conditions;
import dev.replcert.api.k8s.GoDuration;
import io.fabric8.kubernetes.api.model.Condition;
import io.openshift.ramendr.v1alpha1.VolumeReplicationGroup;
import io.openshift.ramendr.v1alpha1.VolumeReplicationGroupSpec;
import io.openshift.ramendr.v1alpha1.volumereplicationgroupstatus.ProtectedPVCs;
import java.time.ZonedDateTime;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * VRG-level conditions, lastGroupSync* and {@code status.state} from the per-PVC entries, as
 * Ramen's aggregate*Condition and updateVRGLastGroupSync* do.
 */
final class VrgSummary {

  private VrgSummary() {}

  static void summarise(VolumeReplicationGroup vrg, VrgStatusWriter status, boolean primary) {
    List<ProtectedPVCs> pvcs = status.status().getProtectedPVCs();
    if (pvcs.isEmpty()) {
      String msg = "No PVCs are protected using VolumeReplication scheme";
      status.set(VrgCondition.DATA_READY, "True", VrgReasons.UNUSED, msg);
      status.set(VrgCondition.DATA_PROTECTED, "True", VrgReasons.UNUSED, msg);
      if (primary) {
        status.set(VrgCondition.CLUSTER_DATA_PROTECTED, "True", VrgReasons.UNUSED, msg);
      }
    } else {
      aggregate(
          status,
          pvcs,
          VrgCondition.DATA_READY,
          primary
              ? "PVCs in the VolumeReplicationGroup are ready for use"
              : "PVCs in the VolumeReplicationGroup group are replicating");
      aggregate(
          status,
          pvcs,
          VrgCondition.DATA_PROTECTED,
          primary
              ? "VolumeReplicationGroup is replicating"
              : "All PVCs of the VolumeReplicationGroup are protected");
      if (primary) {
        aggregate(
            status,
            pvcs,
            VrgCondition.CLUSTER_DATA_PROTECTED,
            "Cluster data of all PVs are protected");
      }
    }
    lastGroupSync(status, pvcs, primary);
    status.status().setState(state(vrg, status, primary).wire());
    status.status().setObservedGeneration(status.generation());
  }

  /**
   * The VRG takes the first error among its PVCs, else the first that is not True, else (all True
   * or all the same non-error verdict) the common reason.
   */
  private static void aggregate(
      VrgStatusWriter status, List<ProtectedPVCs> pvcs, VrgCondition type, String allGoodMessage) {
    List<Condition> each =
        pvcs.stream()
            .map(p -> Conditions.find(p.getConditions(), type.wire()).orElse(null))
            .toList();
    if (each.contains(null)) {
      status.set(
          type,
          "False",
          VrgReasons.PROGRESSING,
          "Waiting for all PVCs of the VolumeReplicationGroup to report " + type.wire());
      return;
    }
    Optional<Condition> error = each.stream().filter(c -> isError(c.getReason())).findFirst();
    if (error.isPresent()) {
      status.set(type, "False", error.get().getReason(), error.get().getMessage());
      return;
    }
    Optional<Condition> progressing =
        each.stream()
            .filter(
                c ->
                    VrgReasons.PROGRESSING.equals(c.getReason())
                        || VrgReasons.UPLOADING.equals(c.getReason()))
            .findFirst();
    if (progressing.isPresent()) {
      status.set(type, "False", progressing.get().getReason(), progressing.get().getMessage());
      return;
    }
    // all the same verdict: Replicating (False) as primary, Replicated/Replicating/DataProtected as
    // secondary
    boolean allTrue = each.stream().allMatch(c -> "True".equals(c.getStatus()));
    String reason =
        each.stream()
            .map(Condition::getReason)
            .filter(r -> !VrgReasons.REPLICATED.equals(r) && !VrgReasons.DATA_PROTECTED.equals(r))
            .findFirst()
            .orElse(each.get(0).getReason());
    status.set(type, allTrue ? "True" : "False", reason, allGoodMessage);
  }

  private static boolean isError(String reason) {
    return VrgReasons.ERROR.equals(reason)
        || "UnknownError".equals(reason)
        || VrgReasons.UPLOAD_ERROR.equals(reason);
  }

  /**
   * Oldest member's sync time (nil if any is nil or as secondary), longest duration, total bytes.
   */
  private static void lastGroupSync(
      VrgStatusWriter status, List<ProtectedPVCs> pvcs, boolean primary) {
    var s = status.status();
    if (!primary || pvcs.isEmpty() || pvcs.stream().anyMatch(p -> p.getLastSyncTime() == null)) {
      s.setLastGroupSyncTime(null);
      if (primary) {
        s.setLastGroupSyncDuration(null);
        s.setLastGroupSyncBytes(null);
      }
      return;
    }
    s.setLastGroupSyncTime(
        pvcs.stream()
            .map(ProtectedPVCs::getLastSyncTime)
            .min(Comparator.comparing(ZonedDateTime::toInstant))
            .orElseThrow());
    s.setLastGroupSyncDuration(
        pvcs.stream()
            .map(ProtectedPVCs::getLastSyncDuration)
            .filter(Objects::nonNull)
            .max(Comparator.comparing(GoDuration::parse))
            .orElse(null));
    boolean anyBytes = pvcs.stream().anyMatch(p -> p.getLastSyncBytes() != null);
    s.setLastGroupSyncBytes(
        anyBytes
            ? pvcs.stream()
                .map(ProtectedPVCs::getLastSyncBytes)
                .filter(Objects::nonNull)
                .mapToLong(Long::longValue)
                .sum()
            : null);
  }

  /**
   * Unknown unless DataReady holds for this generation; a relocating secondary also needs
   * DataProtected.
   */
  private static VrgState state(
      VolumeReplicationGroup vrg, VrgStatusWriter status, boolean primary) {
    if (!status.isTrue(VrgCondition.DATA_READY)) {
      return VrgState.UNKNOWN;
    }
    if (primary) {
      return VrgState.PRIMARY;
    }
    boolean relocate = vrg.getSpec().getAction() == VolumeReplicationGroupSpec.Action.RELOCATE;
    return relocate && !status.isTrue(VrgCondition.DATA_PROTECTED)
        ? VrgState.UNKNOWN
        : VrgState.SECONDARY;
  }
}
