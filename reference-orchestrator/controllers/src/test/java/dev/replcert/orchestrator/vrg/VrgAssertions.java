package dev.replcert.orchestrator.vrg;

import static org.assertj.core.api.Assertions.assertThat;

import dev.replcert.orchestrator.k8s.Conditions;
import io.fabric8.kubernetes.api.model.Condition;
import io.openshift.ramendr.v1alpha1.VolumeReplicationGroup;
import io.openshift.ramendr.v1alpha1.volumereplicationgroupstatus.ProtectedPVCs;
import java.util.List;

/** Assertions on a VRG's status that print the whole condition list when they fail. */
final class VrgAssertions {

  private VrgAssertions() {}

  static void condition(VolumeReplicationGroup vrg, String type, String status, String reason) {
    assertThat(vrg.getStatus()).as("status of VRG %s", vrg.getMetadata().getName()).isNotNull();
    List<Condition> conditions = vrg.getStatus().getConditions();
    Condition c = Conditions.find(conditions, type).orElse(null);
    assertThat(c).as("%s in %s", type, conditions).isNotNull();
    assertThat(c.getStatus() + "/" + c.getReason())
        .as("%s (message: %s) in %s", type, c.getMessage(), conditions)
        .isEqualTo(status + "/" + reason);
    assertThat(c.getObservedGeneration())
        .as("%s observedGeneration", type)
        .isEqualTo(vrg.getMetadata().getGeneration());
  }

  static void state(VolumeReplicationGroup vrg, String expected) {
    assertThat(vrg.getStatus()).as("status of VRG %s", vrg.getMetadata().getName()).isNotNull();
    assertThat(vrg.getStatus().getState())
        .as(
            "state of VRG %s, conditions %s",
            vrg.getMetadata().getName(), vrg.getStatus().getConditions())
        .isEqualTo(expected);
  }

  static String message(VolumeReplicationGroup vrg, String type) {
    return Conditions.find(vrg.getStatus().getConditions(), type).orElseThrow().getMessage();
  }

  static ProtectedPVCs protectedPvc(VolumeReplicationGroup vrg, String name) {
    assertThat(vrg.getStatus()).as("status of VRG %s", vrg.getMetadata().getName()).isNotNull();
    return vrg.getStatus().getProtectedPVCs().stream()
        .filter(p -> name.equals(p.getName()))
        .findFirst()
        .orElseThrow(
            () ->
                new AssertionError(
                    "no protectedPVCs entry "
                        + name
                        + " in "
                        + vrg.getStatus().getProtectedPVCs()));
  }

  static void pvcCondition(
      VolumeReplicationGroup vrg, String pvc, String type, String status, String reason) {
    List<Condition> conditions = protectedPvc(vrg, pvc).getConditions();
    Condition c = Conditions.find(conditions, type).orElse(null);
    assertThat(c).as("%s of PVC %s in %s", type, pvc, conditions).isNotNull();
    assertThat(c.getStatus() + "/" + c.getReason())
        .as("%s of PVC %s (message: %s)", type, pvc, c.getMessage())
        .isEqualTo(status + "/" + reason);
  }
}
