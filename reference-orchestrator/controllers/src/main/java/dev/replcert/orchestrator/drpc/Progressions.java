package dev.replcert.orchestrator.drpc;

import dev.replcert.api.k8s.Ramen.Phase;
import dev.replcert.api.k8s.Ramen.Progression;
import io.openshift.ramendr.v1alpha1.DRPlacementControlSpec.Action;
import java.util.List;
import java.util.Objects;

/**
 * Keeps the reported progression of an action monotonic. Each pass still derives its step from
 * the current state, but a view can answer with a VRG whose status has not caught up with the
 * spec just delivered (a generation behind), and a pass that reads it would step back. The rule:
 * while the DRPC's spec is the one its status was written for (same generation: the same action),
 * a pass that wrote nothing never reports an earlier step of that action than the one already
 * reported; it keeps the reported phase and progression. A pass that wrote (a work or the decision
 * had to be set again because the state really went back) reports the step it took.
 */
final class Progressions {

  /** A phase and progression, in the order an action goes through them. */
  private record At(Phase phase, Progression progression) {}

  private static final List<At> DEPLOY =
      List.of(
          new At(Phase.DEPLOYING, Progression.CREATING_MW),
          new At(Phase.DEPLOYING, Progression.UPDATING_PL_RULE),
          new At(Phase.DEPLOYING, Progression.WAIT_FOR_READINESS),
          new At(Phase.DEPLOYED, Progression.CLEANING_UP),
          new At(Phase.DEPLOYED, Progression.COMPLETED));

  private static final List<At> FAILOVER =
      List.of(
          new At(Phase.FAILING_OVER, Progression.CHECKING_FAILOVER_PREREQUISITES),
          new At(Phase.FAILING_OVER, Progression.WAIT_FOR_FENCING),
          new At(Phase.FAILING_OVER, Progression.FAILING_OVER_TO_CLUSTER),
          new At(Phase.FAILING_OVER, Progression.WAITING_FOR_RESOURCE_RESTORE),
          new At(Phase.FAILING_OVER, Progression.UPDATED_PLACEMENT),
          new At(Phase.FAILED_OVER, Progression.CLEANING_UP),
          new At(Phase.FAILED_OVER, Progression.COMPLETED));

  private static final List<At> RELOCATE =
      List.of(
          new At(Phase.RELOCATING, Progression.PREPARING_FINAL_SYNC),
          new At(Phase.RELOCATING, Progression.CLEARING_PLACEMENT),
          new At(Phase.RELOCATING, Progression.RUNNING_FINAL_SYNC),
          new At(Phase.RELOCATING, Progression.FINAL_SYNC_COMPLETE),
          new At(Phase.RELOCATING, Progression.ENSURING_VOLUMES_ARE_SECONDARY),
          new At(Phase.RELOCATING, Progression.WAITING_FOR_RESOURCE_RESTORE),
          new At(Phase.RELOCATING, Progression.UPDATED_PLACEMENT),
          new At(Phase.RELOCATED, Progression.CLEANING_UP),
          new At(Phase.RELOCATED, Progression.COMPLETED));

  private Progressions() {}

  /** The step to report: {@code step}, or the reported phase and progression if it went back. */
  static Step monotonic(Pass pass, Step step) {
    if (step.phase() == null || step.progression() == null || pass.wrote()) {
      return step;
    }
    var status = pass.drpc.getStatus();
    if (status == null
        || !Objects.equals(status.getObservedGeneration(), pass.drpc.getMetadata().getGeneration())) {
      return step;
    }
    List<At> order = order(pass.action());
    int reported =
        order.indexOf(new At(pass.reportedPhase(), pass.reportedProgression()));
    int now = order.indexOf(new At(step.phase(), step.progression()));
    if (reported < 0 || now < 0 || now >= reported) {
      return step;
    }
    return new Step(
        pass.reportedPhase(),
        pass.reportedProgression(),
        step.peerReady(),
        step.settled(),
        step.message() + " (still reported as " + pass.reportedProgression().wire() + ")");
  }

  private static List<At> order(Action action) {
    if (action == null) {
      return DEPLOY;
    }
    return action == Action.FAILOVER ? FAILOVER : RELOCATE;
  }
}
