package dev.replcert.orchestrator.drpc;

import static dev.replcert.orchestrator.drpc.DrpcNames.PROTECTED;
import static dev.replcert.orchestrator.drpc.DrpcNames.PROTECTED_ERROR;
import static dev.replcert.orchestrator.drpc.DrpcNames.PROTECTED_PROGRESSING;
import static dev.replcert.orchestrator.drpc.DrpcNames.PROTECTED_UNKNOWN;

import dev.replcert.api.k8s.Ramen.DrpcCondition;
import dev.replcert.api.k8s.Ramen.Phase;
import dev.replcert.api.k8s.Ramen.Progression;
import dev.replcert.api.k8s.Ramen.VrgCondition;
import dev.replcert.orchestrator.k8s.Conditions;
import io.fabric8.kubernetes.api.model.Condition;
import io.openshift.ramendr.v1alpha1.DRPlacementControl;
import io.openshift.ramendr.v1alpha1.DRPlacementControlSpec.Action;
import io.openshift.ramendr.v1alpha1.DRPlacementControlStatus;
import io.openshift.ramendr.v1alpha1.VolumeReplicationGroup;
import io.openshift.ramendr.v1alpha1.VolumeReplicationGroupSpec.ReplicationState;
import io.openshift.ramendr.v1alpha1.drplacementcontrolstatus.PreferredDecision;
import io.openshift.ramendr.v1alpha1.drplacementcontrolstatus.ResourceConditions;
import io.openshift.ramendr.v1alpha1.drplacementcontrolstatus.resourceconditions.ResourceMeta;
import io.openshift.ramendr.v1alpha1.volumereplicationgroupstatus.ProtectedPVCs;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Writes a DRPC's status from a pass: phase and progression (with actionStartTime /
 * actionDuration), conditions Available / PeerReady / Protected, the VRG's conditions and sync
 * times copied from the cluster Ramen's clusterForVRGStatus picks, preferredDecision,
 * observedGeneration.
 */
final class DrpcStatusWriter {

  private static final Set<Phase> FINAL = Set.of(Phase.DEPLOYED, Phase.FAILED_OVER, Phase.RELOCATED);
  private static final Set<Phase> PROGRESSING =
      Set.of(Phase.INITIATING, Phase.DEPLOYING, Phase.FAILING_OVER, Phase.RELOCATING);

  private final DRPlacementControl drpc;
  private final DRPlacementControlStatus status;
  private final Long generation;
  private final Clock clock;

  DrpcStatusWriter(DRPlacementControl drpc, DRPlacementControlStatus status, Clock clock) {
    this.drpc = drpc;
    this.status = status;
    this.generation = drpc.getMetadata().getGeneration();
    this.clock = clock;
    if (status.getConditions() == null) {
      status.setConditions(new ArrayList<>());
    }
  }

  void write(Pass pass, Step step) {
    status.setObservedGeneration(generation);
    String preferred = drpc.getSpec().getPreferredCluster();
    if (preferred != null
        && !preferred.isEmpty()
        && (status.getPreferredDecision() == null
            || status.getPreferredDecision().getClusterName() == null)) {
      PreferredDecision d = new PreferredDecision();
      d.setClusterName(preferred);
      d.setClusterNamespace(preferred);
      status.setPreferredDecision(d);
    }
    Phase before = phase();
    if (step.phase() != null) {
      if (PROGRESSING.contains(step.phase()) && (before == null || FINAL.contains(before))) {
        // a new action starts (Ramen's setStatusInitiating)
        status.setActionStartTime(now());
        status.setActionDuration(null);
      }
      status.setPhase(step.phase().wire());
    }
    if (step.progression() != null) {
      status.setProgression(step.progression().wire());
      if (step.progression() == Progression.COMPLETED
          && status.getActionDuration() == null
          && status.getActionStartTime() != null) {
        Duration took = Duration.between(status.getActionStartTime(), now());
        status.setActionDuration(goDuration(took));
      }
    }
    Phase phase = phase();
    if (phase != null) {
      String value = FINAL.contains(phase) ? "True" : PROGRESSING.contains(phase) ? "False" : "Unknown";
      set(DrpcCondition.AVAILABLE.wire(), value, phase.wire(), availableMessage(phase));
    }
    if (step.peerReady() != null) {
      set(
          DrpcCondition.PEER_READY.wire(),
          step.peerReady().ready() ? "True" : "False",
          step.peerReady().reason(),
          step.peerReady().message());
    }
    resource(pass);
    // Ramen reports every condition for the current generation
    for (Condition c : status.getConditions()) {
      c.setObservedGeneration(generation);
    }
  }

  private static String availableMessage(Phase phase) {
    return switch (phase) {
      case DEPLOYED -> "Initial deployment completed";
      case FAILED_OVER -> "Failed over";
      case RELOCATED -> "Relocated";
      default -> "Action in progress: " + phase.wire();
    };
  }

  private Phase phase() {
    return status.getPhase() == null || status.getPhase().isEmpty()
        ? null
        : Phase.parse(status.getPhase());
  }

  /** updateResourceCondition: copy of the VRG's status, sync times, Protected. */
  private void resource(Pass pass) {
    Optional<String> cluster = pass.statusCluster();
    VolumeReplicationGroup vrg = cluster.map(pass::observed).orElse(null);
    if (vrg == null) {
      status.setResourceConditions(new ResourceConditions());
      set(
          DrpcCondition.PROTECTED.wire(),
          "Unknown",
          PROTECTED_UNKNOWN,
          "Missing VolumeReplicationGroup status from cluster " + cluster.orElse(""));
      return;
    }
    ResourceMeta meta = new ResourceMeta();
    meta.setKind(DrpcNames.VRG_KIND);
    meta.setName(vrg.getMetadata().getName());
    meta.setNamespace(vrg.getMetadata().getNamespace());
    meta.setGeneration(vrg.getMetadata().getGeneration());
    meta.setResourceVersion(vrg.getMetadata().getResourceVersion());
    List<String> pvcs = new ArrayList<>();
    if (vrg.getStatus() != null && vrg.getStatus().getProtectedPVCs() != null) {
      for (ProtectedPVCs p : vrg.getStatus().getProtectedPVCs()) {
        pvcs.add(p.getName());
      }
    }
    meta.setProtectedpvcs(pvcs);
    ResourceConditions rc = new ResourceConditions();
    rc.setResourceMeta(meta);
    rc.setConditions(vrg.getStatus() == null ? null : vrg.getStatus().getConditions());
    status.setResourceConditions(rc);
    ZonedDateTime last = vrg.getStatus() == null ? null : vrg.getStatus().getLastGroupSyncTime();
    if (last != null || drpc.getSpec().getAction() != Action.RELOCATE) {
      status.setLastGroupSyncTime(last);
      status.setLastGroupSyncDuration(vrg.getStatus() == null ? null : vrg.getStatus().getLastGroupSyncDuration());
      status.setLastGroupSyncBytes(vrg.getStatus() == null ? null : vrg.getStatus().getLastGroupSyncBytes());
    }
    protectedCondition(vrg, cluster.get());
  }

  /** updateDRPCProtectedCondition (protected_condition.go), checks in Ramen's order. */
  private void protectedCondition(VolumeReplicationGroup vrg, String cluster) {
    String who =
        "VolumeReplicationGroup (" + vrg.getMetadata().getNamespace() + "/"
            + vrg.getMetadata().getName() + ") on cluster " + cluster;
    boolean primary = Vrgs.primarySpec(vrg);
    boolean secondary = Vrgs.secondarySpec(vrg);
    Long gen = vrg.getMetadata().getGeneration();
    // HooksReady: only a current hook failure counts
    Optional<Condition> hooks = find(vrg, VrgCondition.HOOKS_READY);
    if (hooks.isPresent()
        && Objects.equals(hooks.get().getObservedGeneration(), gen)
        && "False".equals(hooks.get().getStatus())
        && "HookFailed".equals(hooks.get().getReason())) {
      set(DrpcCondition.PROTECTED.wire(), "False", PROTECTED_ERROR,
          who + " hook execution failed: " + hooks.get().getMessage());
      return;
    }
    if (primary
        && generic(vrg, who, VrgCondition.CLUSTER_DATA_READY, "workload resources readiness",
            "restoring workload resources", "restoring workload resources")) {
      return;
    }
    if (primary) {
      if (generic(vrg, who, VrgCondition.DATA_READY, "workload data readiness",
          "readying workload data", "readying workload data")) {
        return;
      }
      Optional<Condition> dp = find(vrg, VrgCondition.DATA_PROTECTED);
      boolean acceptable =
          dp.isPresent()
              && Objects.equals(dp.get().getObservedGeneration(), gen)
              && ("True".equals(dp.get().getStatus())
                  || ("False".equals(dp.get().getStatus())
                      && "Replicating".equals(dp.get().getReason())));
      if (!acceptable
          && generic(vrg, who, VrgCondition.DATA_PROTECTED, "workload data protection",
              "protecting workload data", "protecting workload data")) {
        return;
      }
    } else if (secondary) {
      Optional<Condition> dr = find(vrg, VrgCondition.DATA_READY);
      boolean failoverReplicating =
          dr.isPresent()
              && Objects.equals(dr.get().getObservedGeneration(), gen)
              && "False".equals(dr.get().getStatus())
              && "Replicating".equals(dr.get().getReason())
              && vrg.getSpec().getAsync() != null
              && vrg.getSpec().getAction() != null
              && "Failover".equals(vrg.getSpec().getAction().getValue());
      if (dr.isPresent() && !failoverReplicating
          && generic(vrg, who, VrgCondition.DATA_READY, "workload data readiness",
              "readying workload data", "readying workload data")) {
        return;
      }
      if (find(vrg, VrgCondition.DATA_PROTECTED).isPresent()
          && generic(vrg, who, VrgCondition.DATA_PROTECTED, "workload data protection",
              "protecting workload data", "protecting workload data")) {
        return;
      }
    }
    Optional<Condition> dest = find(vrg, VrgCondition.DESTINATION_INFO_AVAILABLE);
    if (dest.isPresent()
        && !("True".equals(dest.get().getStatus())
            && Objects.equals(dest.get().getObservedGeneration(), gen))
        && generic(vrg, who, VrgCondition.DESTINATION_INFO_AVAILABLE,
            "destination info availability", "waiting for destination info", "destination info")) {
      return;
    }
    // Ramen's VRG always reports NoClusterDataConflict; this module's VRG controller does not, so
    // an absent condition does not block (a reported one is checked as Ramen does)
    if (find(vrg, VrgCondition.NO_CLUSTER_DATA_CONFLICT).isPresent()
        && generic(vrg, who, VrgCondition.NO_CLUSTER_DATA_CONFLICT, "workload data protection",
        "checking for workload data conflict", "conflicting workload data")) {
      return;
    }
    String wanted = vrg.getSpec() == null || vrg.getSpec().getReplicationState() == null
        ? "" : vrg.getSpec().getReplicationState().getValue();
    if (!Vrgs.current(vrg)) {
      set(DrpcCondition.PROTECTED.wire(), "False", PROTECTED_UNKNOWN,
          who + " is not reporting status for current generation as " + wanted
              + ", retrying till status is met");
      return;
    }
    String expectedState =
        vrg.getSpec().getReplicationState() == ReplicationState.PRIMARY ? "Primary" : "Secondary";
    if (!expectedState.equals(vrg.getStatus().getState())) {
      set(DrpcCondition.PROTECTED.wire(), "False", PROTECTED_PROGRESSING,
          who + " is not reporting status as " + wanted + ", retrying till status is met");
      return;
    }
    if (vrg.getSpec().getAsync() != null && vrg.getStatus().getLastGroupSyncTime() == null) {
      set(DrpcCondition.PROTECTED.wire(), "False", PROTECTED_PROGRESSING,
          who + " is not reporting any lastGroupSyncTime as " + wanted
              + ", retrying till status is met");
      return;
    }
    if (primary
        && generic(vrg, who, VrgCondition.CLUSTER_DATA_PROTECTED, "workload resource protection",
            "protecting workload resources", "protecting workload resources")) {
      return;
    }
    set(DrpcCondition.PROTECTED.wire(), "True", PROTECTED,
        who + " is protecting required resources and data");
  }

  /** genericUpdateProtectedForCondition: true when it set Protected (the check failed). */
  private boolean generic(
      VolumeReplicationGroup vrg,
      String who,
      VrgCondition type,
      String msgUnknown,
      String msgProgressing,
      String msgError) {
    Optional<Condition> c = find(vrg, type);
    Long gen = vrg.getMetadata().getGeneration();
    if (c.isPresent()
        && "True".equals(c.get().getStatus())
        && Objects.equals(c.get().getObservedGeneration(), gen)) {
      return false;
    }
    if (c.isEmpty()
        || !Objects.equals(c.get().getObservedGeneration(), gen)
        || "Unknown".equals(c.get().getStatus())) {
      set(DrpcCondition.PROTECTED.wire(), "Unknown", PROTECTED_UNKNOWN,
          who + " is not reporting any status about " + msgUnknown + ", retrying till "
              + type.wire() + " condition is met");
      return true;
    }
    if (Vrgs.ERROR_REASONS.contains(c.get().getReason())) {
      set(DrpcCondition.PROTECTED.wire(), "False", PROTECTED_ERROR,
          who + " is reporting errors (" + c.get().getMessage() + ") " + msgError
              + ", retrying till " + type.wire() + " condition is met");
      return true;
    }
    set(DrpcCondition.PROTECTED.wire(), "False", PROTECTED_PROGRESSING,
        who + " is progressing on " + msgProgressing + " (" + c.get().getMessage()
            + "), retrying till " + type.wire() + " condition is met");
    return true;
  }

  private static Optional<Condition> find(VolumeReplicationGroup vrg, VrgCondition type) {
    return Conditions.find(Vrgs.conditions(vrg), type.wire());
  }

  private void set(String type, String value, String reason, String message) {
    Conditions.set(status.getConditions(), type, value, reason, message, generation, clock);
  }

  private ZonedDateTime now() {
    return ZonedDateTime.now(clock).withZoneSameInstant(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS);
  }

  /** metav1.Duration's text, as Go prints it (e.g. {@code 1m30s}, {@code 0s}). */
  static String goDuration(Duration d) {
    long s = Math.max(0, d.getSeconds());
    long h = s / 3600;
    long m = (s % 3600) / 60;
    long sec = s % 60;
    StringBuilder b = new StringBuilder();
    if (h > 0) {
      b.append(h).append('h');
    }
    if (h > 0 || m > 0) {
      b.append(m).append('m');
    }
    b.append(sec).append('s');
    return b.toString();
  }
}
