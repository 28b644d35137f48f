package dev.replcert.layer1.kube;

import dev.replcert.api.k8s.CsiAddons.ConditionType;
import dev.replcert.api.k8s.CsiAddons.Reason;
import io.fabric8.kubernetes.api.model.Condition;
import io.openshift.storage.replication.v1alpha1.VolumeReplication;
import io.openshift.storage.replication.v1alpha1.VolumeReplicationStatus;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * One observation of a VolumeReplication, as waits see it and print it on timeout: generation,
 * state, message, every condition with its observedGeneration, and the sync fields. A VR that does
 * not exist (any more) is an observation too.
 */
public record VrStatus(VolumeReplication vr) {

  public boolean exists() {
    return vr != null;
  }

  public long generation() {
    Long g = vr == null ? null : vr.getMetadata().getGeneration();
    return g == null ? 0 : g;
  }

  public Optional<VolumeReplicationStatus> status() {
    return Optional.ofNullable(vr).map(VolumeReplication::getStatus);
  }

  public String state() {
    return status().map(VolumeReplicationStatus::getState).orElse(null);
  }

  public String message() {
    return status().map(VolumeReplicationStatus::getMessage).orElse(null);
  }

  public long observedGeneration() {
    return status().map(VolumeReplicationStatus::getObservedGeneration).orElse(0L);
  }

  /** The controller has seen the current spec. */
  public boolean current() {
    return exists() && observedGeneration() == generation();
  }

  public ZonedDateTime lastSyncTime() {
    return status().map(VolumeReplicationStatus::getLastSyncTime).orElse(null);
  }

  public List<Condition> conditions() {
    return status().map(VolumeReplicationStatus::getConditions).orElse(List.of());
  }

  public Optional<Condition> condition(ConditionType type) {
    return conditions().stream().filter(c -> type.wire().equals(c.getType())).findFirst();
  }

  /** The condition is there with this status ("True", "False", "Unknown") and reason. */
  public boolean has(ConditionType type, String status, Reason reason) {
    return condition(type)
        .filter(c -> status.equals(c.getStatus()) && reason.wire().equals(c.getReason()))
        .isPresent();
  }

  /** The condition is there with this status and reason, written for the current generation. */
  public boolean hasCurrent(ConditionType type, String status, Reason reason) {
    return condition(type)
        .filter(c -> status.equals(c.getStatus()) && reason.wire().equals(c.getReason()))
        .filter(c -> Objects.equals(c.getObservedGeneration(), generation()))
        .isPresent();
  }

  /** Completed=True with the reason, for the current generation (status and the condition). */
  public boolean completed(Reason reason) {
    return current()
        && condition(ConditionType.COMPLETED)
            .filter(c -> "True".equals(c.getStatus()) && reason.wire().equals(c.getReason()))
            .filter(c -> Objects.equals(c.getObservedGeneration(), generation()))
            .isPresent();
  }

  /** Conditions whose observedGeneration is not the VR's generation, as "Type@og". */
  public List<String> staleConditions() {
    return conditions().stream()
        .filter(c -> !Objects.equals(c.getObservedGeneration(), generation()))
        .map(c -> c.getType() + "@" + c.getObservedGeneration())
        .toList();
  }

  /** Conditions as {@code Type=Status/Reason}, for assertions on the whole set. */
  public List<String> conditionSet() {
    return conditions().stream().map(c -> c.getType() + "=" + c.getStatus() + "/" + c.getReason()).toList();
  }

  @Override
  public String toString() {
    if (vr == null) {
      return "no such VolumeReplication";
    }
    VolumeReplicationStatus s = vr.getStatus();
    String head = "generation " + generation() + ", spec " + vr.getSpec().getReplicationState()
        + (vr.getMetadata().getDeletionTimestamp() == null ? "" : ", deleting")
        + ", finalizers " + vr.getMetadata().getFinalizers();
    if (s == null) {
      return head + ", no status";
    }
    return head + ", status{state " + s.getState() + ", observedGeneration " + s.getObservedGeneration()
        + ", message \"" + s.getMessage() + "\", conditions "
        + conditions().stream()
            .map(c -> c.getType() + "=" + c.getStatus() + "/" + c.getReason() + "@" + c.getObservedGeneration())
            .collect(Collectors.joining(", ", "[", "]"))
        + ", lastSyncTime " + s.getLastSyncTime() + ", lastSyncBytes " + s.getLastSyncBytes()
        + ", lastSyncDuration " + s.getLastSyncDuration() + "}";
  }
}
