package dev.replcert.orchestrator.hub;

import dev.replcert.api.k8s.Ramen.DrClusterCondition;
import dev.replcert.api.k8s.Ramen.DrClusterPhase;
import dev.replcert.orchestrator.k8s.Conditions;
import io.openshift.ramendr.v1alpha1.DRCluster;
import io.openshift.ramendr.v1alpha1.DRClusterStatus;
import java.time.Clock;
import java.util.ArrayList;

/**
 * The DRCluster status a reconcile builds, with Ramen's condition pairs: each fencing step sets
 * Fenced and Clean together (drcluster_controller.go {@code setDRCluster*Condition}).
 */
final class DrClusterStatusWriter {

  private final DRClusterStatus status;
  private final Long generation;
  private final Clock clock;

  DrClusterStatusWriter(DRCluster cluster, DRClusterStatus status, Clock clock) {
    this.status = status;
    this.generation = cluster.getMetadata().getGeneration();
    this.clock = clock;
    if (status.getConditions() == null) {
      // Ramen's initial state: nothing known yet
      status.setConditions(new ArrayList<>());
      String message = "Initializing DRCluster";
      for (DrClusterCondition type :
          new DrClusterCondition[] {
            DrClusterCondition.VALIDATED, DrClusterCondition.FENCED, DrClusterCondition.CLEAN
          }) {
        set(type, "Unknown", HubNames.INITIALIZING, message);
      }
      phase(DrClusterPhase.STARTING);
    }
  }

  DRClusterStatus status() {
    return status;
  }

  void phase(DrClusterPhase phase) {
    status.setPhase(phase.wire());
  }

  void validated(boolean ok, String reason, String message) {
    set(DrClusterCondition.VALIDATED, ok ? "True" : "False", reason, message);
  }

  /** MW for a fence created; not fenced yet, still clean. */
  void fencing(String message) {
    pair("False", HubNames.FENCING, "True", HubNames.FENCING, message);
  }

  void fenced(String message) {
    pair("True", HubNames.FENCED, "False", HubNames.FENCED, message);
  }

  void fenceError(String message) {
    pair("False", HubNames.FENCE_ERROR, "True", HubNames.FENCE_ERROR, message);
  }

  /** MW switched to Unfenced; still fenced until the peer reports otherwise. */
  void unfencing(String message) {
    pair("True", HubNames.UNFENCING, "False", HubNames.UNFENCING, message);
  }

  /** Unfenced, but the NetworkFence still exists (Ramen writes reason Fenced on Clean here). */
  void unfenced(String message) {
    pair("False", HubNames.UNFENCED, "False", HubNames.FENCED, message);
  }

  void unfenceError(String message) {
    pair("True", HubNames.UNFENCE_ERROR, "False", HubNames.UNFENCE_ERROR, message);
  }

  void cleaning(String message) {
    pair("False", HubNames.CLEANING, "False", HubNames.CLEANING, message);
  }

  void clean(String message) {
    pair("False", HubNames.CLEAN, "True", HubNames.CLEAN, message);
  }

  private void pair(
      String fenced, String fencedReason, String clean, String cleanReason, String message) {
    set(DrClusterCondition.FENCED, fenced, fencedReason, message);
    set(DrClusterCondition.CLEAN, clean, cleanReason, message);
  }

  private void set(DrClusterCondition type, String value, String reason, String message) {
    Conditions.set(
        status.getConditions(), type.wire(), value, reason, message, generation, clock);
  }
}
