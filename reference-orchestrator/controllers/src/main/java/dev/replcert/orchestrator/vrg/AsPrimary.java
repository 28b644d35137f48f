package dev.replcert.orchestrator.vrg;

import dev.replcert.api.k8s.CsiAddons.ConditionType;
import dev.replcert.api.k8s.Ramen.VrgCondition;
import dev.replcert.orchestrator.s3.ObjectStores;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.openshift.ramendr.v1alpha1.VolumeReplicationGroup;
import io.openshift.ramendr.v1alpha1.volumereplicationgroupstatus.ProtectedPVCs;
import io.openshift.storage.replication.v1alpha1.VolumeReplication;
import io.openshift.storage.replication.v1alpha1.VolumeReplicationSpec.ReplicationState;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Ramen's {@code processAsPrimary} for VolumeReplication PVCs: restore from S3 once per generation,
 * unprotect deselected PVCs, then per selected PVC protect it, keep its VR primary, judge the VR,
 * and upload its PV/PVC. Returns whether everything is settled (else the caller retries soon).
 */
final class AsPrimary {

  private final KubernetesClient client;
  private final PvcProtection protection;
  private final VolumeReplications replications;
  private final ObjectStores stores;

  AsPrimary(KubernetesClient client, ObjectStores stores) {
    this.client = client;
    this.protection = new PvcProtection(client);
    this.replications = new VolumeReplications(client);
    this.stores = stores;
  }

  boolean reconcile(VolumeReplicationGroup vrg, VrgStatusWriter status) {
    boolean finalSync =
        Boolean.TRUE.equals(vrg.getSpec().getPrepareForFinalSync())
            || Boolean.TRUE.equals(vrg.getSpec().getRunFinalSync());
    boolean restoredNow = false;
    if (!status.isTrue(VrgCondition.CLUSTER_DATA_READY) && !finalSync) {
      MetadataRestore.Result restored = new MetadataRestore(client, stores).restore(vrg);
      if (restored.failure() != null) {
        status.set(VrgCondition.CLUSTER_DATA_READY, "False", VrgReasons.ERROR, restored.failure());
        return false;
      }
      String msg =
          restored.created() == 0
              ? "Nothing to restore"
              : "Restored " + restored.created() + " PVs and PVCs";
      status.set(VrgCondition.CLUSTER_DATA_READY, "True", VrgReasons.RESTORED, msg);
      // The restored claims are protected below in this same pass (not yet bound: Progressing), so
      // the VRG never reports DataReady "no PVCs are protected" and state Primary for them.
      restoredNow = restored.created() > 0;
    }
    ClusterState cluster = ClusterState.read(client, vrg);
    unprotectDeselected(vrg, cluster, status);
    MetadataUpload upload = new MetadataUpload(client, stores);
    boolean settled = true;
    for (PersistentVolumeClaim pvc : cluster.selected()) {
      settled &= protect(vrg, cluster, pvc, status, upload);
    }
    // For VolumeReplication PVCs there is nothing to quiesce or sync by hand: both complete at
    // once.
    status
        .status()
        .setPrepareForFinalSyncComplete(
            Boolean.TRUE.equals(vrg.getSpec().getPrepareForFinalSync()) ? true : null);
    status
        .status()
        .setFinalSyncComplete(Boolean.TRUE.equals(vrg.getSpec().getRunFinalSync()) ? true : null);
    return settled && !restoredNow;
  }

  private boolean protect(
      VolumeReplicationGroup vrg,
      ClusterState cluster,
      PersistentVolumeClaim pvc,
      VrgStatusWriter status,
      MetadataUpload upload) {
    ProtectedPVCs entry =
        status.entry(pvc.getMetadata().getNamespace(), pvc.getMetadata().getName());
    StorageClass sc = cluster.storageClassOf(pvc);
    VrgStatusWriter.describe(entry, pvc, sc, null);
    if (!ClusterState.isBound(pvc)) {
      return pvcProgressing(status, entry, VrgReasons.PROGRESSING, "PVC not bound yet");
    }
    if (sc == null) {
      return pvcProgressing(
          status,
          entry,
          VrgReasons.ERROR,
          "failed to get the StorageClass " + pvc.getSpec().getStorageClassName() + " of the PVC");
    }
    PersistentVolume pv = cluster.pvOf(pvc);
    if (pv == null) {
      return pvcProgressing(
          status,
          entry,
          VrgReasons.PROGRESSING,
          "PV " + pvc.getSpec().getVolumeName() + " of the PVC not found");
    }
    var conflict = PvcProtection.conflict(vrg, pvc);
    if (conflict.isPresent()) {
      return pvcProgressing(status, entry, VrgReasons.ERROR, conflict.get());
    }
    if (ClusterState.isDeleted(pvc) && !PvcProtection.hasFinalizer(pvc)) {
      // no finalizer may be added to a claim being deleted: nothing left to protect
      return pvcProgressing(status, entry, VrgReasons.PROGRESSING, "PVC is being deleted");
    }
    // sync (Metro) has no class and no VR: the storage mirrors synchronously
    ReplicationClasses.Choice vrc =
        vrg.getSpec().getAsync() == null
            ? null
            : ReplicationClasses.choose(vrg, sc, cluster.replicationClasses());
    if (vrc != null && vrc.vrc() == null) {
      return pvcProgressing(status, entry, VrgReasons.ERROR, vrc.problem());
    }
    VrgStatusWriter.describe(entry, pvc, sc, vrc == null ? null : vrc.vrc());
    boolean changed = protection.protect(vrg, pvc, pv);
    VolumeReplications.Verdict verdict = VolumeReplications.Verdict.SYNC_PRIMARY;
    if (vrc != null) {
      VolumeReplication vr =
          replications.ensure(
              vrg,
              pvc,
              cluster.vrs().get(pvc.getMetadata().getName()),
              vrc.vrc().getMetadata().getName(),
              ReplicationState.PRIMARY,
              false);
      verdict = VolumeReplications.asPrimary(vr);
      if (verdict.ready()) {
        copyLastSync(entry, vr);
        changed |= annotateDestination(pv, vr);
      }
    }
    return finish(vrg, pvc, pv, changed, verdict, status, entry, upload);
  }

  private boolean finish(
      VolumeReplicationGroup vrg,
      PersistentVolumeClaim pvc,
      PersistentVolume pv,
      boolean changed,
      VolumeReplications.Verdict verdict,
      VrgStatusWriter status,
      ProtectedPVCs entry,
      MetadataUpload upload) {
    status.setPvc(
        entry,
        VrgCondition.DATA_READY,
        verdict.dataReadyTrue(),
        verdict.dataReadyReason(),
        verdict.message());
    status.setPvc(
        entry,
        VrgCondition.DATA_PROTECTED,
        verdict.dataProtectedTrue(),
        verdict.dataProtectedReason(),
        verdict.message());
    if (Boolean.TRUE.equals(vrg.getSpec().getDryRun())) {
      return verdict.ready();
    }
    // what was just written (Retain, finalizer, annotations) must be in what is uploaded
    PersistentVolumeClaim currentPvc = changed ? client.resource(pvc).get() : pvc;
    PersistentVolume currentPv = changed ? client.resource(pv).get() : pv;
    MetadataUpload.Result result = upload.upload(vrg, currentPvc, currentPv);
    if (result.failure() != null) {
      status.setPvc(
          entry,
          VrgCondition.CLUSTER_DATA_PROTECTED,
          false,
          VrgReasons.UPLOAD_ERROR,
          result.failure());
      return false;
    }
    status.setPvc(
        entry,
        VrgCondition.CLUSTER_DATA_PROTECTED,
        true,
        VrgReasons.UPLOADED,
        "PV cluster data already protected for PVC " + pvc.getMetadata().getName());
    return verdict.ready();
  }

  private static boolean pvcProgressing(
      VrgStatusWriter status, ProtectedPVCs entry, String reason, String message) {
    status.setPvc(entry, VrgCondition.DATA_READY, false, reason, message);
    status.setPvc(entry, VrgCondition.DATA_PROTECTED, false, reason, message);
    return false;
  }

  private static void copyLastSync(ProtectedPVCs entry, VolumeReplication vr) {
    entry.setLastSyncTime(vr.getStatus().getLastSyncTime());
    entry.setLastSyncDuration(vr.getStatus().getLastSyncDuration());
    entry.setLastSyncBytes(vr.getStatus().getLastSyncBytes());
  }

  /** Ramen's destination-volume-handle: what a restore on the peer swaps the CSI handle for. */
  private boolean annotateDestination(PersistentVolume pv, VolumeReplication vr) {
    String destination = vr.getStatus().getDestinationVolumeID();
    boolean available =
        VolumeReplications.current(vr, ConditionType.DESTINATION_INFO_AVAILABLE)
            .filter(c -> "True".equals(c.getStatus()))
            .isPresent();
    if (available
        && destination != null
        && !destination.equals(
            PvcProtection.annotation(pv, VrgNames.DESTINATION_VOLUME_HANDLE_ANNOTATION))) {
      PvcProtection.editPv(
          client,
          pv,
          v -> {
            PvcProtection.annotations(v)
                .put(VrgNames.DESTINATION_VOLUME_HANDLE_ANNOTATION, destination);
            return v;
          });
      return true;
    }
    return false;
  }

  /** PVCs this VRG protects that its selector no longer selects: VR deleted, protection undone. */
  private void unprotectDeselected(
      VolumeReplicationGroup vrg, ClusterState cluster, VrgStatusWriter status) {
    Set<String> selected =
        cluster.selected().stream().map(p -> p.getMetadata().getName()).collect(Collectors.toSet());
    for (PersistentVolumeClaim pvc : cluster.pvcs()) {
      String name = pvc.getMetadata().getName();
      if (!selected.contains(name) && PvcProtection.isProtectedBy(vrg, pvc)) {
        VolumeReplication vr = cluster.vrs().get(name);
        if (vr != null) {
          client.resource(vr).delete();
        }
        protection.unprotect(vrg, pvc, cluster.pvOf(pvc), true);
      }
    }
    status.status().getProtectedPVCs().removeIf(p -> !selected.contains(p.getName()));
  }
}
