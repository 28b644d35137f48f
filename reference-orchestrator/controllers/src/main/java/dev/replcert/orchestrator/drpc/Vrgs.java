package dev.replcert.orchestrator.drpc;

import dev.replcert.api.k8s.Ramen.VrgCondition;
import dev.replcert.api.k8s.Ramen.VrgState;
import dev.replcert.orchestrator.k8s.Conditions;
import io.fabric8.kubernetes.api.model.Condition;
import io.openshift.ramendr.v1alpha1.VolumeReplicationGroup;
import io.openshift.ramendr.v1alpha1.VolumeReplicationGroupSpec.ReplicationState;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What the hub reads from a VolumeReplicationGroup (as a view reports it, or as a work delivers
 * it). Conditions count only when written for the VRG's current generation, as Ramen's
 * isVRGConditionMet does.
 */
final class Vrgs {

  /** isVRGReasonError (status.go). */
  static final Set<String> ERROR_REASONS =
      Set.of(
          "Error",
          "UnknownError",
          "UploadError",
          "AnnotationFailed",
          "ClusterDataConflictPrimary",
          "ClusterDataConflictSecondary");

  private Vrgs() {}

  static boolean primarySpec(VolumeReplicationGroup vrg) {
    return vrg != null
        && vrg.getSpec() != null
        && vrg.getSpec().getReplicationState() == ReplicationState.PRIMARY;
  }

  static boolean secondarySpec(VolumeReplicationGroup vrg) {
    return vrg != null
        && vrg.getSpec() != null
        && vrg.getSpec().getReplicationState() == ReplicationState.SECONDARY;
  }

  static List<Condition> conditions(VolumeReplicationGroup vrg) {
    return vrg.getStatus() == null ? null : vrg.getStatus().getConditions();
  }

  /** The condition is True for the VRG's current generation. */
  static boolean met(VolumeReplicationGroup vrg, VrgCondition type) {
    Long generation = vrg.getMetadata().getGeneration();
    return Conditions.find(conditions(vrg), type.wire())
        .filter(c -> "True".equals(c.getStatus()))
        .filter(c -> Objects.equals(c.getObservedGeneration(), generation))
        .isPresent();
  }

  /** status.observedGeneration is the VRG's generation: the agent has acted on the spec. */
  static boolean current(VolumeReplicationGroup vrg) {
    return vrg.getStatus() != null
        && Objects.equals(vrg.getStatus().getObservedGeneration(), vrg.getMetadata().getGeneration());
  }

  static boolean state(VolumeReplicationGroup vrg, VrgState state) {
    return vrg.getStatus() != null && state.wire().equals(vrg.getStatus().getState());
  }

  /**
   * Ramen's checkReadiness for a VRG made primary: spec primary, DataReady and ClusterDataReady
   * True at the current generation, status.state Primary.
   */
  static boolean readyAsPrimary(VolumeReplicationGroup vrg) {
    return primarySpec(vrg)
        && met(vrg, VrgCondition.DATA_READY)
        && met(vrg, VrgCondition.CLUSTER_DATA_READY)
        && state(vrg, VrgState.PRIMARY);
  }

  /** readyToSwitchOver: DataReady and ClusterDataProtected True at the current generation. */
  static boolean readyToSwitchOver(VolumeReplicationGroup vrg) {
    return primarySpec(vrg)
        && met(vrg, VrgCondition.DATA_READY)
        && met(vrg, VrgCondition.CLUSTER_DATA_PROTECTED);
  }

  /** The VRG runs as secondary for its current generation (status.state Secondary). */
  static boolean isSecondary(VolumeReplicationGroup vrg) {
    return secondarySpec(vrg) && current(vrg) && state(vrg, VrgState.SECONDARY);
  }

  /** Secondary and in sync: DataProtected True at the current generation (ensureDataProtected). */
  static boolean secondaryProtected(VolumeReplicationGroup vrg) {
    return isSecondary(vrg) && met(vrg, VrgCondition.DATA_PROTECTED);
  }

  static boolean prepareForFinalSyncComplete(VolumeReplicationGroup vrg) {
    return vrg.getSpec() != null
        && Boolean.TRUE.equals(vrg.getSpec().getPrepareForFinalSync())
        && current(vrg)
        && Boolean.TRUE.equals(vrg.getStatus().getPrepareForFinalSyncComplete());
  }

  static boolean finalSyncComplete(VolumeReplicationGroup vrg) {
    return vrg.getSpec() != null
        && Boolean.TRUE.equals(vrg.getSpec().getRunFinalSync())
        && current(vrg)
        && Boolean.TRUE.equals(vrg.getStatus().getFinalSyncComplete());
  }
}
