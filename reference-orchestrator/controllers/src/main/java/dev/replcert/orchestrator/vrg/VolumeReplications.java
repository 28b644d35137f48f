package dev.replcert.orchestrator.vrg;

import dev.replcert.api.k8s.CsiAddons.ConditionType;
import dev.replcert.api.k8s.CsiAddons.VolumeState;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.openshift.ramendr.v1alpha1.VolumeReplicationGroup;
import io.openshift.storage.replication.v1alpha1.VolumeReplication;
import io.openshift.storage.replication.v1alpha1.VolumeReplicationSpec;
import io.openshift.storage.replication.v1alpha1.VolumeReplicationSpec.ReplicationState;
import io.openshift.storage.replication.v1alpha1.volumereplicationspec.DataSource;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The VolumeReplication of each protected PVC (Ramen's {@code createOrUpdateVR} and {@code
 * validateVRStatus}): named as the PVC, labelled with its owner VRG, and judged only on conditions
 * written for its current generation (a stale condition is no answer).
 */
final class VolumeReplications {

  /** A VR's answer for one PVC: ready or not, and the per-PVC DataReady/DataProtected it means. */
  record Verdict(
      boolean ready,
      boolean error,
      String dataReadyReason,
      boolean dataReadyTrue,
      String dataProtectedReason,
      boolean dataProtectedTrue,
      String message) {

    /** Ramen's per-PVC "Ready": DataReady True/Ready, DataProtected False/Replicating. */
    static final Verdict PRIMARY_READY =
        new Verdict(
            true,
            false,
            VrgReasons.READY,
            true,
            VrgReasons.REPLICATING,
            false,
            "PVC in the VolumeReplicationGroup is ready for use");

    /** Sync (Metro) mode: no VR, the PVC is ready as soon as it is protected. */
    static final Verdict SYNC_PRIMARY = PRIMARY_READY;

    static Verdict progressing(String message) {
      return new Verdict(
          false, false, VrgReasons.PROGRESSING, false, VrgReasons.PROGRESSING, false, message);
    }

    static Verdict error(String message) {
      return new Verdict(false, true, VrgReasons.ERROR, false, VrgReasons.ERROR, false, message);
    }
  }

  private final KubernetesClient client;

  VolumeReplications(KubernetesClient client) {
    this.client = client;
  }

  /** Creates the VR, or moves its state and autoResync; the class is immutable and stays. */
  VolumeReplication ensure(
      VolumeReplicationGroup vrg,
      PersistentVolumeClaim pvc,
      VolumeReplication existing,
      String vrcName,
      ReplicationState state,
      boolean autoResync) {
    if (existing == null) {
      VolumeReplication vr = new VolumeReplication();
      vr.setMetadata(
          new ObjectMetaBuilder()
              .withName(pvc.getMetadata().getName())
              .withNamespace(pvc.getMetadata().getNamespace())
              .withLabels(
                  Map.of(
                      VrgNames.OWNER_NAME_LABEL, vrg.getMetadata().getName(),
                      VrgNames.OWNER_NAMESPACE_LABEL, vrg.getMetadata().getNamespace(),
                      VrgNames.CREATED_BY_RAMEN_LABEL, "true"))
              .build());
      VolumeReplicationSpec spec = new VolumeReplicationSpec();
      DataSource source = new DataSource();
      source.setKind("PersistentVolumeClaim");
      source.setName(pvc.getMetadata().getName());
      spec.setDataSource(source);
      spec.setVolumeReplicationClass(vrcName);
      spec.setReplicationState(state);
      spec.setAutoResync(autoResync);
      vr.setSpec(spec);
      return client.resource(vr).create();
    }
    if (existing.getSpec().getReplicationState() == state
        && Objects.equals(existing.getSpec().getAutoResync(), autoResync)) {
      return existing;
    }
    return client
        .resources(VolumeReplication.class)
        .inNamespace(existing.getMetadata().getNamespace())
        .withName(existing.getMetadata().getName())
        .edit(
            v -> {
              v.getSpec().setReplicationState(state);
              v.getSpec().setAutoResync(autoResync);
              return v;
            });
  }

  /** Primary: Validated (if present) not False, then Completed True. */
  static Verdict asPrimary(VolumeReplication vr) {
    Optional<Verdict> notYet = unobserved(vr);
    if (notYet.isPresent()) {
      return notYet.get();
    }
    Optional<Condition> validated = current(vr, ConditionType.VALIDATED);
    if (validated.isPresent() && "False".equals(validated.get().getStatus())) {
      return Verdict.error(validated.get().getMessage());
    }
    Optional<Verdict> completed =
        require(
            vr,
            ConditionType.COMPLETED,
            "True",
            "VolumeReplication resource for pvc not promoted to primary");
    if (completed.isPresent()) {
      return completed.get();
    }
    // Ramen's per-PVC "Ready" maps DataProtected to its progress condition: False/Replicating
    return Verdict.PRIMARY_READY;
  }

  /**
   * Secondary: Completed True, then either resyncing (Resyncing True with Degraded True) or in sync
   * (Resyncing False, Degraded False, state Secondary).
   */
  static Verdict asSecondary(VolumeReplication vr) {
    Optional<Verdict> notYet = unobserved(vr);
    if (notYet.isPresent()) {
      return notYet.get();
    }
    Optional<Verdict> completed =
        require(
            vr,
            ConditionType.COMPLETED,
            "True",
            "VolumeReplication resource for pvc not demoted to secondary");
    if (completed.isPresent()) {
      return completed.get();
    }
    if (is(vr, ConditionType.RESYNCING, "True")) {
      if (!is(vr, ConditionType.DEGRADED, "True")) {
        return Verdict.error(
            "VolumeReplication resource for pvc is not in Degraded condition while resyncing");
      }
      String msg = "VolumeReplication resource for the pvc is syncing as Secondary";
      return new Verdict(
          true, false, VrgReasons.REPLICATING, true, VrgReasons.REPLICATING, false, msg);
    }
    Optional<Verdict> notResyncing =
        require(
            vr,
            ConditionType.RESYNCING,
            "False",
            "VolumeReplication resource for pvc not syncing as Secondary");
    if (notResyncing.isPresent()) {
      return notResyncing.get();
    }
    Optional<Verdict> healthy =
        require(
            vr,
            ConditionType.DEGRADED,
            "False",
            "VolumeReplication resource for pvc is not syncing and is degraded as Secondary");
    if (healthy.isPresent()) {
      return healthy.get();
    }
    if (!VolumeState.SECONDARY.wire().equals(vr.getStatus().getState())) {
      return Verdict.progressing(
          "VolumeReplication resource for pvc does not report state Secondary yet");
    }
    String msg = "VolumeReplication resource for the pvc as Secondary is in sync with Primary";
    return new Verdict(
        true, false, VrgReasons.REPLICATED, true, VrgReasons.DATA_PROTECTED, true, msg);
  }

  private static Optional<Verdict> unobserved(VolumeReplication vr) {
    if (vr.getStatus() == null
        || !Objects.equals(
            vr.getMetadata().getGeneration(), vr.getStatus().getObservedGeneration())) {
      return Optional.of(Verdict.progressing("VolumeReplication generation not updated in status"));
    }
    return Optional.empty();
  }

  /**
   * Missing or stale => still progressing (default message); present with another status => error.
   */
  private static Optional<Verdict> require(
      VolumeReplication vr, ConditionType type, String status, String defaultMessage) {
    Optional<Condition> c = current(vr, type);
    if (c.isEmpty()) {
      return Optional.of(Verdict.progressing(defaultMessage));
    }
    if (!status.equals(c.get().getStatus())) {
      String msg =
          c.get().getMessage() == null || c.get().getMessage().isBlank()
              ? defaultMessage
              : c.get().getMessage();
      return Optional.of(Verdict.error(msg));
    }
    return Optional.empty();
  }

  private static boolean is(VolumeReplication vr, ConditionType type, String status) {
    return current(vr, type).filter(c -> status.equals(c.getStatus())).isPresent();
  }

  /** The condition of {@code type} if it was written for the VR's current generation. */
  static Optional<Condition> current(VolumeReplication vr, ConditionType type) {
    List<Condition> conditions = vr.getStatus() == null ? null : vr.getStatus().getConditions();
    return dev.replcert.orchestrator.k8s.Conditions.find(conditions, type.wire())
        .filter(c -> Objects.equals(c.getObservedGeneration(), vr.getMetadata().getGeneration()));
  }
}
