package dev.replcert.orchestrator.drpc;

import static dev.replcert.orchestrator.drpc.DrpcNames.REASON_CLEANING;
import static dev.replcert.orchestrator.drpc.DrpcNames.REASON_NOT_STARTED;
import static dev.replcert.orchestrator.drpc.DrpcNames.REASON_PROGRESSING;
import static dev.replcert.orchestrator.drpc.DrpcNames.REASON_SUCCESS;

import dev.replcert.api.k8s.Ramen.Phase;
import dev.replcert.api.k8s.Ramen.Progression;
import dev.replcert.api.k8s.Ramen.VrgState;
import dev.replcert.orchestrator.drpc.Step.PeerReady;
import io.openshift.ramendr.v1alpha1.DRPlacementControlSpec.Action;
import io.openshift.ramendr.v1alpha1.VolumeReplicationGroup;
import java.util.List;

/**
 * Ramen's RunInitialDeployment, RunFailover and RunRelocate (drplacementcontrol.go) as one step per
 * pass, each derived from the works, the views, the placement decision and the DRPC's spec. A step
 * that writes something reports the progression it belongs to and is looked at again shortly; a
 * step that waits names what it waits for.
 */
final class Actions {

  private static final PeerReady NOT_STARTED =
      new PeerReady(false, REASON_NOT_STARTED, "Started the action; the peer is not ready");
  private static final PeerReady READY = new PeerReady(true, REASON_SUCCESS, "Ready");

  private Actions() {}

  static Step run(Pass pass) {
    Action action = pass.action();
    boolean anyWork = pass.clusters.stream().anyMatch(c -> pass.delivered(c) != null);
    if (!anyWork && !pass.policyValidated()) {
      // protection starts only under a validated policy; once VRGs exist, a policy that stops
      // validating (a cluster's S3 store down in a disaster) must not block Failover
      return Step.refused("DRPolicy " + pass.policy.getMetadata().getName() + " not validated");
    }
    if (action == null || !anyWork) {
      String home =
          action == Action.FAILOVER
              ? pass.drpc.getSpec().getFailoverCluster()
              : pass.drpc.getSpec().getPreferredCluster();
      return deploy(pass, home);
    }
    return action == Action.FAILOVER ? failover(pass) : relocate(pass);
  }

  private static String invalid(Pass pass, String cluster, String field) {
    if (cluster == null || cluster.isEmpty()) {
      return "missing value for spec." + field;
    }
    if (!pass.clusters.contains(cluster)) {
      return "spec." + field + " " + cluster + " is not a cluster of DRPolicy "
          + pass.policy.getMetadata().getName();
    }
    return null;
  }

  // ------------------------------------------------------------------ initial deployment

  private static Step deploy(Pass pass, String home) {
    String bad = invalid(pass, home, "preferredCluster");
    if (bad != null) {
      return Step.refused(bad);
    }
    for (String other : pass.others(home)) {
      if (Vrgs.primarySpec(pass.delivered(other))) {
        return Step.refused(
            "Failed to place deployment on cluster " + home + ", as it is active on cluster "
                + other);
      }
    }
    PeerReady waitingPeer =
        new PeerReady(false, REASON_PROGRESSING, "Waiting for the peer VRGs to report Secondary");
    if (pass.deliver(home, true, false, false)) {
      return Step.waiting(Phase.DEPLOYING, Progression.CREATING_MW, waitingPeer,
          "VRG work created on " + home);
    }
    if (pass.decide(home)) {
      return Step.waiting(Phase.DEPLOYING, Progression.UPDATING_PL_RULE, waitingPeer,
          "placement decided " + home);
    }
    if (!Vrgs.readyAsPrimary(pass.observed(home))) {
      return Step.waiting(Phase.DEPLOYING, Progression.WAIT_FOR_READINESS, waitingPeer,
          "waiting for the VRG on " + home + " to be ready as primary");
    }
    return secondaries(pass, home, Phase.DEPLOYED, REASON_PROGRESSING);
  }

  /**
   * EnsureCleanup / EnsureSecondaryReplicationSetup: every other cluster gets a secondary VRG and
   * must report it Secondary before PeerReady is True and the action Completed.
   */
  private static Step secondaries(Pass pass, String home, Phase phase, String reason) {
    for (String peer : pass.others(home)) {
      if (pass.deliver(peer, false, false, false)) {
        return Step.waiting(phase, Progression.CLEANING_UP,
            new PeerReady(false, reason, "Secondary VRG work created on " + peer),
            "secondary VRG work on " + peer);
      }
    }
    // EnsureCleanup: once PeerReady is True/Success for this generation the clean-up is
    // considered complete and not checked again (a peer going away later does not undo it)
    if (pass.reportedPhase() == phase
        && pass.reportedProgression() == Progression.COMPLETED
        && pass.peerReadySucceeded()) {
      return Step.done(phase, null);
    }
    for (String peer : pass.others(home)) {
      if (!pass.reachable(peer)) {
        return Step.waiting(phase, Progression.CLEANING_UP,
            new PeerReady(false, reason, "Cluster " + peer + " is not reachable"),
            "waiting for " + peer + " to come back");
      }
      if (!Vrgs.isSecondary(pass.observed(peer))) {
        return Step.waiting(phase, Progression.CLEANING_UP,
            new PeerReady(false, reason,
                "Waiting for the VRG on " + peer + " to report Secondary"),
            "waiting for the VRG on " + peer + " to report Secondary");
      }
    }
    return Step.done(phase, READY);
  }

  // ------------------------------------------------------------------ failover

  private static Step failover(Pass pass) {
    String target = pass.drpc.getSpec().getFailoverCluster();
    String bad = invalid(pass, target, "failoverCluster");
    if (bad != null) {
      return Step.refused(bad);
    }
    List<String> sources = pass.others(target);
    if (!Vrgs.primarySpec(pass.delivered(target))) {
      // CheckingFailoverPrerequisites: a valid target is primary or a current Secondary
      VolumeReplicationGroup tv = pass.observed(target);
      if (tv == null) {
        return Step.waiting(Phase.FAILING_OVER, Progression.CHECKING_FAILOVER_PREREQUISITES,
            NOT_STARTED, "waiting for the VRG on failover cluster " + target);
      }
      if (!Vrgs.primarySpec(tv) && !(Vrgs.current(tv) && Vrgs.state(tv, VrgState.SECONDARY))) {
        return Step.waiting(Phase.FAILING_OVER, Progression.CHECKING_FAILOVER_PREREQUISITES,
            NOT_STARTED, "VRG on " + target + " has not transitioned to secondary yet");
      }
      if (pass.reportedProgression() != Progression.CHECKING_FAILOVER_PREREQUISITES
          && pass.reportedProgression() != Progression.WAIT_FOR_FENCING) {
        // reported once before acting, as Ramen reports it on its way
        return Step.waiting(Phase.FAILING_OVER, Progression.CHECKING_FAILOVER_PREREQUISITES,
            NOT_STARTED, "failover to " + target + " checked");
      }
      if (pass.metro()) {
        for (String source : sources) {
          if (!pass.fenced(source)) {
            return Step.waiting(Phase.FAILING_OVER, Progression.WAIT_FOR_FENCING, NOT_STARTED,
                "waiting for DRCluster " + source + " to be fenced");
          }
        }
      }
      // the failed cluster's work is demoted before the target's is promoted: never two primary
      // works; OCM applies the demotion whenever that cluster answers again
      for (String source : sources) {
        if (pass.delivered(source) != null) {
          pass.deliver(source, false, false, false);
        }
      }
      pass.deliver(target, true, false, false);
      return Step.waiting(Phase.FAILING_OVER, Progression.FAILING_OVER_TO_CLUSTER, NOT_STARTED,
          "VRG on " + target + " made primary");
    }
    for (String source : sources) {
      if (Vrgs.primarySpec(pass.delivered(source))) {
        pass.deliver(source, false, false, false);
      }
    }
    if (pass.deliver(target, true, false, false)) {
      return pass.keep("VRG work on " + target + " updated");
    }
    PeerReady progressing =
        new PeerReady(false, REASON_PROGRESSING, "Failing over to " + target);
    if (!Vrgs.readyAsPrimary(pass.observed(target))) {
      return Step.waiting(Phase.FAILING_OVER, Progression.WAITING_FOR_RESOURCE_RESTORE,
          progressing, "waiting for the VRG on " + target + " to be ready as primary");
    }
    if (pass.decide(target)) {
      return Step.waiting(Phase.FAILING_OVER, Progression.UPDATED_PLACEMENT, progressing,
          "placement moved to " + target);
    }
    return secondaries(pass, target, Phase.FAILED_OVER, REASON_CLEANING);
  }

  // ------------------------------------------------------------------ relocate

  private static Step relocate(Pass pass) {
    String target = pass.drpc.getSpec().getPreferredCluster();
    String bad = invalid(pass, target, "preferredCluster");
    if (bad != null) {
      return Step.refused(bad);
    }
    List<String> others = pass.others(target);
    if (Vrgs.primarySpec(pass.delivered(target))) {
      return switchedTo(pass, target, Phase.RELOCATING, Phase.RELOCATED);
    }
    List<String> primaries =
        others.stream().filter(c -> Vrgs.primarySpec(pass.delivered(c))).toList();
    boolean started =
        primaries.isEmpty()
            || primaries.stream()
                .anyMatch(c -> Boolean.TRUE.equals(pass.delivered(c).getSpec().getPrepareForFinalSync()))
            || pass.reportedPhase() == Phase.RELOCATING;
    // Relocate needs every cluster to answer, all the way to the switch
    for (String c : pass.clusters) {
      if (!pass.reachable(c) || (pass.observed(c) == null && pass.delivered(c) != null)) {
        String why = "relocation needs every cluster: " + c + " is not reachable";
        return started ? new Step(Phase.RELOCATING, null, null, false, why) : Step.refused(why);
      }
    }
    if (primaries.size() > 1) {
      return Step.refused("VRGs are primary on more than one cluster: " + primaries);
    }
    if (primaries.isEmpty()) {
      return ensureSecondaryThenSwitch(pass, target, others);
    }
    String current = primaries.get(0);
    VolumeReplicationGroup cw = pass.delivered(current);
    VolumeReplicationGroup cv = pass.observed(current);
    boolean prepared = Boolean.TRUE.equals(cw.getSpec().getPrepareForFinalSync());
    boolean run = Boolean.TRUE.equals(cw.getSpec().getRunFinalSync());
    if (!prepared) {
      if (!Vrgs.readyToSwitchOver(cv)) {
        return started
            ? pass.keep("waiting for the VRG on " + current + " to be ready to switch over")
            : Step.refused("VRG on " + current
                + " is not ready to switch over (DataReady and ClusterDataProtected)");
      }
      if (pass.metro() && pass.fenced(target)) {
        return Step.refused("preferred cluster " + target + " is fenced");
      }
      if (pass.reportedPhase() != Phase.RELOCATING) {
        if (!pass.peerReadyReported()) {
          return Step.refused("clean up secondaries is pending, peer is not ready");
        }
        if (!Vrgs.secondaryProtected(pass.observed(target))) {
          return Step.refused("VRG on " + target + " is not Secondary and DataProtected");
        }
      }
      pass.deliver(current, true, true, false);
      return Step.waiting(Phase.RELOCATING, Progression.PREPARING_FINAL_SYNC, NOT_STARTED,
          "prepareForFinalSync on " + current);
    }
    // once runFinalSync is delivered its prerequisite was met: the VRG's answer to the new spec
    // (a generation on, status not yet caught up) must not send the relocate back a step
    if (!run && !Vrgs.prepareForFinalSyncComplete(cv)) {
      return Step.waiting(Phase.RELOCATING, Progression.PREPARING_FINAL_SYNC, NOT_STARTED,
          "waiting for prepareForFinalSyncComplete on " + current);
    }
    if (pass.decide(null)) {
      return Step.waiting(Phase.RELOCATING, Progression.CLEARING_PLACEMENT, NOT_STARTED,
          "placement cleared");
    }
    if (!run) {
      pass.deliver(current, true, true, true);
      return Step.waiting(Phase.RELOCATING, Progression.RUNNING_FINAL_SYNC, NOT_STARTED,
          "runFinalSync on " + current);
    }
    if (!Vrgs.finalSyncComplete(cv)) {
      return Step.waiting(Phase.RELOCATING, Progression.RUNNING_FINAL_SYNC, NOT_STARTED,
          "waiting for finalSyncComplete on " + current);
    }
    if (pass.reportedProgression() != Progression.FINAL_SYNC_COMPLETE) {
      return Step.waiting(Phase.RELOCATING, Progression.FINAL_SYNC_COMPLETE, NOT_STARTED,
          "final sync complete on " + current);
    }
    for (String c : pass.clusters) {
      pass.deliver(c, false, false, false);
    }
    return Step.waiting(Phase.RELOCATING, Progression.ENSURING_VOLUMES_ARE_SECONDARY, NOT_STARTED,
        "VRGs made secondary everywhere");
  }

  /** setupRelocation: every VRG Secondary, the others DataProtected; then the target primary. */
  private static Step ensureSecondaryThenSwitch(Pass pass, String target, List<String> others) {
    boolean wrote = pass.decide(null);
    for (String c : pass.clusters) {
      wrote |= pass.deliver(c, false, false, false);
    }
    if (wrote) {
      return Step.waiting(Phase.RELOCATING, Progression.ENSURING_VOLUMES_ARE_SECONDARY,
          NOT_STARTED, "VRGs made secondary everywhere");
    }
    for (String c : pass.clusters) {
      if (!Vrgs.isSecondary(pass.observed(c))) {
        return Step.waiting(Phase.RELOCATING, Progression.ENSURING_VOLUMES_ARE_SECONDARY,
            NOT_STARTED, "waiting for the VRG on " + c + " to report Secondary");
      }
    }
    for (String c : others) {
      if (!Vrgs.secondaryProtected(pass.observed(c))) {
        return Step.waiting(Phase.RELOCATING, Progression.ENSURING_VOLUMES_ARE_SECONDARY,
            NOT_STARTED, "waiting for the VRG on " + c + " to report DataProtected");
      }
    }
    pass.deliver(target, true, false, false);
    return Step.waiting(Phase.RELOCATING, Progression.WAITING_FOR_RESOURCE_RESTORE, NOT_STARTED,
        "VRG on " + target + " made primary");
  }

  /** switchToCluster's tail: readiness, placement, then clean-up of the others. */
  private static Step switchedTo(Pass pass, String target, Phase during, Phase after) {
    for (String other : pass.others(target)) {
      if (Vrgs.primarySpec(pass.delivered(other))) {
        pass.deliver(other, false, false, false);
      }
    }
    if (pass.deliver(target, true, false, false)) {
      return pass.keep("VRG work on " + target + " updated");
    }
    PeerReady progressing = new PeerReady(false, REASON_PROGRESSING, "Relocating to " + target);
    if (!Vrgs.readyAsPrimary(pass.observed(target))) {
      return Step.waiting(during, Progression.WAITING_FOR_RESOURCE_RESTORE, progressing,
          "waiting for the VRG on " + target + " to be ready as primary");
    }
    if (pass.decide(target)) {
      return Step.waiting(during, Progression.UPDATED_PLACEMENT, progressing,
          "placement moved to " + target);
    }
    return secondaries(pass, target, after, REASON_CLEANING);
  }
}
