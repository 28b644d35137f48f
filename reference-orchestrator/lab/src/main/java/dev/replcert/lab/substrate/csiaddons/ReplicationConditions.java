package dev.replcert.lab.substrate.csiaddons;

import static dev.replcert.api.k8s.CsiAddons.ConditionType.COMPLETED;
import static dev.replcert.api.k8s.CsiAddons.ConditionType.DEGRADED;
import static dev.replcert.api.k8s.CsiAddons.ConditionType.DESTINATION_INFO_AVAILABLE;
import static dev.replcert.api.k8s.CsiAddons.ConditionType.REPLICATING;
import static dev.replcert.api.k8s.CsiAddons.ConditionType.RESYNCING;
import static dev.replcert.api.k8s.CsiAddons.ConditionType.VALIDATED;

import dev.replcert.api.k8s.CsiAddons.Reason;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;

/**
 * The condition sets csi-addons' status.go writes, as tabled in {@code reference/csi.md} §4.
 * Messages start with the source ("volume" or "volume group").
 */
final class ReplicationConditions {

  private static final String TRUE = "True";
  private static final String FALSE = "False";

  private final List<Condition> conditions;
  private final long generation;
  private final String source;

  ReplicationConditions(List<Condition> conditions, long generation, boolean group) {
    this.conditions = conditions;
    this.generation = generation;
    this.source = group ? "volume group" : "volume";
  }

  private static String withDetail(String text, String detail) {
    return detail == null || detail.isBlank() ? text : text + ": " + detail;
  }

  void promoted() {
    Conditions.set(
        conditions,
        COMPLETED,
        TRUE,
        Reason.PROMOTED,
        source + " is promoted to primary and replicating to secondary",
        generation);
    Conditions.set(conditions, DEGRADED, FALSE, Reason.HEALTHY, source + " is healthy", generation);
    Conditions.set(
        conditions,
        RESYNCING,
        FALSE,
        Reason.NOT_RESYNCING,
        source + " is not resyncing",
        generation);
  }

  void promoteFailed(String detail) {
    Conditions.set(
        conditions,
        COMPLETED,
        FALSE,
        Reason.FAILED_TO_PROMOTE,
        withDetail(source + " failed to promote", detail),
        generation);
    Conditions.set(
        conditions,
        DEGRADED,
        TRUE,
        Reason.ERROR,
        withDetail(source + " is degraded", detail),
        generation);
    Conditions.set(
        conditions,
        VALIDATED,
        TRUE,
        Reason.PREREQUISITE_MET,
        source + " is validated and met all prerequisites",
        generation);
  }

  /**
   * Enable answered FAILED_PRECONDITION, or the class did not validate. {@code failed} is the
   * Completed reason of the requested state (FailedToPromote, FailedToDemote, FailedToResync).
   */
  void prerequisiteNotMet(Reason failed, String detail) {
    Conditions.set(
        conditions,
        COMPLETED,
        FALSE,
        failed,
        withDetail(source + " " + verb(failed), detail),
        generation);
    Conditions.set(
        conditions,
        DEGRADED,
        TRUE,
        Reason.ERROR,
        withDetail(source + " is degraded", detail),
        generation);
    Conditions.set(
        conditions,
        VALIDATED,
        FALSE,
        Reason.PREREQUISITE_NOT_MET,
        withDetail("failed to meet prerequisite", detail),
        generation);
  }

  private static String verb(Reason failed) {
    return switch (failed) {
      case FAILED_TO_DEMOTE -> "failed to demote";
      case FAILED_TO_RESYNC -> "failed to resync";
      default -> "failed to promote";
    };
  }

  /** As csi-addons' setDemotedCondition: Completed, Degraded and Resyncing (not yet resyncing). */
  void demoted() {
    demotedAndDegraded();
    Conditions.set(
        conditions,
        RESYNCING,
        FALSE,
        Reason.NOT_RESYNCING,
        source + " is not resyncing",
        generation);
  }

  /** Completed=True/Demoted and Degraded=True/VolumeDegraded: every secondary state starts so. */
  private void demotedAndDegraded() {
    Conditions.set(
        conditions,
        COMPLETED,
        TRUE,
        Reason.DEMOTED,
        source + " is demoted to secondary",
        generation);
    Conditions.set(
        conditions, DEGRADED, TRUE, Reason.VOLUME_DEGRADED, source + " is degraded", generation);
  }

  void demoteFailed(String detail) {
    Conditions.set(
        conditions,
        COMPLETED,
        FALSE,
        Reason.FAILED_TO_DEMOTE,
        withDetail(source + " failed to demote", detail),
        generation);
    Conditions.set(
        conditions,
        DEGRADED,
        TRUE,
        Reason.ERROR,
        withDetail(source + " is degraded", detail),
        generation);
  }

  void resyncTriggered() {
    demotedAndDegraded();
    Conditions.set(
        conditions,
        RESYNCING,
        TRUE,
        Reason.RESYNC_TRIGGERED,
        source + " is resyncing changes from primary to secondary",
        generation);
  }

  void resyncReady() {
    Conditions.set(conditions, DEGRADED, FALSE, Reason.HEALTHY, source + " is healthy", generation);
    Conditions.set(
        conditions,
        RESYNCING,
        FALSE,
        Reason.NOT_RESYNCING,
        source + " is not resyncing",
        generation);
  }

  void resyncFailed(String detail) {
    Conditions.set(
        conditions,
        COMPLETED,
        FALSE,
        Reason.FAILED_TO_RESYNC,
        withDetail(source + " failed to resync", detail),
        generation);
    Conditions.set(
        conditions,
        DEGRADED,
        TRUE,
        Reason.ERROR,
        withDetail(source + " is degraded", detail),
        generation);
    Conditions.set(
        conditions,
        RESYNCING,
        FALSE,
        Reason.FAILED_TO_RESYNC,
        withDetail(source + " failed to resync", detail),
        generation);
  }

  /** Replicating follows GetVolumeReplicationInfo.status; {@code null} status: unknown. */
  void replicating(String status, String detail) {
    switch (status == null ? "UNKNOWN" : status) {
      case "HEALTHY" ->
          Conditions.set(
              conditions,
              REPLICATING,
              TRUE,
              Reason.REPLICATING,
              withDetail(source + " is replicating", detail),
              generation);
      case "DEGRADED", "ERROR" ->
          Conditions.set(
              conditions,
              REPLICATING,
              FALSE,
              Reason.NOT_REPLICATING,
              withDetail(source + " is not replicating", detail),
              generation);
      default ->
          Conditions.set(
              conditions,
              REPLICATING.wire(),
              "Unknown",
              "Unknown",
              withDetail(source + " replication status is unknown", detail),
              generation);
    }
  }

  /** Replicating and DestinationInfoAvailable describe a primary: a secondary has neither. */
  void notReplicatingAsSecondary() {
    Conditions.remove(conditions, REPLICATING);
    Conditions.remove(conditions, DESTINATION_INFO_AVAILABLE);
  }

  void destinationUpdated() {
    Conditions.set(
        conditions,
        DESTINATION_INFO_AVAILABLE,
        TRUE,
        Reason.DESTINATION_INFO_UPDATED,
        source + " destination info is available",
        generation);
  }

  /** UNAVAILABLE, or a group member without a destination yet: asked again soon. */
  void destinationPending(String detail) {
    Conditions.set(
        conditions,
        DESTINATION_INFO_AVAILABLE,
        FALSE,
        Reason.DESTINATION_INFO_PENDING,
        withDetail(source + " destination info is pending update", detail),
        generation);
  }

  void destinationFailed(String detail) {
    Conditions.set(
        conditions,
        DESTINATION_INFO_AVAILABLE,
        FALSE,
        Reason.FAILED_TO_GET_DESTINATION_INFO,
        withDetail(source + " failed to get destination info", detail),
        generation);
  }
}
