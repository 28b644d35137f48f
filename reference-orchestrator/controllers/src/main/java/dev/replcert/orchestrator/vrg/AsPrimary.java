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
import dev.replcert.api.k8s.Ramen;
import io.openshift.storage.replication.v1alpha1.VolumeGroupReplication;
import io.openshift.storage.replication.v1alpha1.VolumeGroupReplicationSpec;
import io.openshift.storage.replication.v1alpha1.VolumeGroupReplicationStatus;
import io.openshift.storage.replication.v1alpha1.VolumeReplication;
import io.openshift.storage.replication.v1alpha1.VolumeReplicationStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
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
  private final GroupReplications groupReplications;
  private final ObjectStores stores;

  AsPrimary(KubernetesClient client, ObjectStores stores) {
    this.client = client;
    this.protection = new PvcProtection(client);
    this.replications = new VolumeReplications(client);
    this.groupReplications = new GroupReplications(client);
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
      // then the groups' VGRs and contents (Ramen restores them after the PVs and PVCs)
      GroupMetadata.Result groups =
          ConsistencyGroups.enabled(vrg)
              ? new GroupMetadata(client, stores).restore(vrg)
              : new GroupMetadata.Result(0, null);
      if (groups.failure() != null) {
        status.set(VrgCondition.CLUSTER_DATA_READY, "False", VrgReasons.ERROR, groups.failure());
        return false;
      }
      String msg =
          restored.created() + groups.created() == 0
              ? "Nothing to restore"
              : "Restored " + restored.created() + " PVs and PVCs"
                  + (groups.created() == 0
                      ? ""
                      : " and " + groups.created() + " VolumeGroupReplications and contents");
      status.set(VrgCondition.CLUSTER_DATA_READY, "True", VrgReasons.RESTORED, msg);
      // The restored claims are protected below in this same pass (not yet bound: Progressing), so
      // the VRG never reports DataReady "no PVCs are protected" and state Primary for them.
      restoredNow = restored.created() + groups.created() > 0;
    }
    ClusterState cluster = ClusterState.read(client, vrg);
    unprotectDeselected(vrg, cluster, status);
    MetadataUpload upload = new MetadataUpload(client, stores);
    boolean settled = true;
    Map<String, List<Prepared>> groups = new TreeMap<>();
    for (PersistentVolumeClaim pvc : cluster.selected()) {
      Prepared prepared = prepare(vrg, cluster, pvc, status);
      if (prepared == null) {
        settled = false;
      } else if (prepared.group() != null) {
        groups.computeIfAbsent(prepared.group(), g -> new ArrayList<>()).add(prepared);
      } else {
        settled &= protect(vrg, cluster, prepared, status, upload);
      }
    }
    for (List<Prepared> members : groups.values()) {
      settled &= protectGroup(vrg, cluster, members, status, upload);
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

  /** A selected claim ready for replication: its PV and class known, and its group if any. */
  private record Prepared(
      PersistentVolumeClaim pvc,
      PersistentVolume pv,
      StorageClass sc,
      ProtectedPVCs entry,
      ReplicationClasses.Choice vrc,
      String group) {}

  /**
   * The checks every protected claim passes first; null (with the claim's conditions saying why)
   * when it cannot be protected yet. With consistency groups the claim is labelled with its group.
   */
  private Prepared prepare(
      VolumeReplicationGroup vrg,
      ClusterState cluster,
      PersistentVolumeClaim pvc,
      VrgStatusWriter status) {
    ProtectedPVCs entry =
        status.entry(pvc.getMetadata().getNamespace(), pvc.getMetadata().getName());
    StorageClass sc = cluster.storageClassOf(pvc);
    VrgStatusWriter.describe(entry, pvc, sc, null);
    if (!ClusterState.isBound(pvc)) {
      pvcProgressing(status, entry, VrgReasons.PROGRESSING, "PVC not bound yet");
      return null;
    }
    if (sc == null) {
      pvcProgressing(
          status,
          entry,
          VrgReasons.ERROR,
          "failed to get the StorageClass " + pvc.getSpec().getStorageClassName() + " of the PVC");
      return null;
    }
    PersistentVolume pv = cluster.pvOf(pvc);
    if (pv == null) {
      pvcProgressing(
          status,
          entry,
          VrgReasons.PROGRESSING,
          "PV " + pvc.getSpec().getVolumeName() + " of the PVC not found");
      return null;
    }
    var conflict = PvcProtection.conflict(vrg, pvc);
    if (conflict.isPresent()) {
      pvcProgressing(status, entry, VrgReasons.ERROR, conflict.get());
      return null;
    }
    if (ClusterState.isDeleted(pvc) && !PvcProtection.hasFinalizer(pvc)) {
      // no finalizer may be added to a claim being deleted: nothing left to protect
      pvcProgressing(status, entry, VrgReasons.PROGRESSING, "PVC is being deleted");
      return null;
    }
    // sync (Metro) has no class and no VR: the storage mirrors synchronously
    ReplicationClasses.Choice vrc =
        vrg.getSpec().getAsync() == null
            ? null
            : ReplicationClasses.choose(vrg, sc, cluster.replicationClasses());
    if (vrc != null && vrc.vrc() == null) {
      pvcProgressing(status, entry, VrgReasons.ERROR, vrc.problem());
      return null;
    }
    VrgStatusWriter.describe(entry, pvc, sc, vrc == null ? null : vrc.vrc());
    String group = null;
    if (ConsistencyGroups.enabled(vrg)) {
      if (!cluster.groups().installed()) {
        pvcProgressing(
            status,
            entry,
            VrgReasons.ERROR,
            "consistency groups are enabled but the cluster has no VolumeGroupReplication CRDs");
        return null;
      }
      // a claim restored from the peer keeps the group it had there: the restored VGR's selector
      // names that group
      group = ConsistencyGroups.label(pvc, VrgNames.CG_LABEL);
      if (group == null || group.isEmpty()) {
        group = ConsistencyGroups.groupOf(sc);
      }
      if (group == null) {
        pvcProgressing(
            status,
            entry,
            VrgReasons.ERROR,
            "missing storageID for PVC "
                + pvc.getMetadata().getNamespace()
                + "/"
                + pvc.getMetadata().getName()
                + " (StorageClass "
                + sc.getMetadata().getName()
                + ")");
        return null;
      }
      if (ConsistencyGroups.label(client, pvc, group)) {
        // the VGR's selector must see the label: judged from the next read
        pvcProgressing(status, entry, VrgReasons.PROGRESSING, "PVC labelled for its consistency group");
        return null;
      }
    }
    return new Prepared(pvc, pv, sc, entry, vrc, group);
  }

  private boolean protect(
      VolumeReplicationGroup vrg,
      ClusterState cluster,
      Prepared p,
      VrgStatusWriter status,
      MetadataUpload upload) {
    boolean changed = protection.protect(vrg, p.pvc(), p.pv());
    VolumeReplications.Verdict verdict = VolumeReplications.Verdict.SYNC_PRIMARY;
    if (p.vrc() != null) {
      VolumeReplication vr =
          replications.ensure(
              vrg,
              p.pvc(),
              cluster.vrs().get(p.pvc().getMetadata().getName()),
              p.vrc().vrc().getMetadata().getName(),
              ReplicationState.PRIMARY,
              false);
      verdict = VolumeReplications.asPrimary(vr);
      if (verdict.ready()) {
        copyLastSync(p.entry(), vr.getStatus());
        changed |= annotateDestination(p.pv(), vr);
      }
    }
    return finish(vrg, p.pvc(), p.pv(), changed, verdict, status, p.entry(), upload);
  }

  /**
   * One consistency group: every member protected, one VolumeGroupReplication (primary) for all,
   * each member judged by it, then the members' PV/PVC and the group's VGR and content uploaded.
   */
  private boolean protectGroup(
      VolumeReplicationGroup vrg,
      ClusterState cluster,
      List<Prepared> members,
      VrgStatusWriter status,
      MetadataUpload upload) {
    Prepared first = members.get(0);
    ReplicationClasses.GroupChoice vgrc =
        ReplicationClasses.chooseGroup(vrg, first.sc(), cluster.groups().classes());
    String problem = vgrc.problem();
    String replicationId =
        vgrc.vgrc() == null ? null : ConsistencyGroups.label(vgrc.vgrc(), Ramen.REPLICATION_ID_LABEL);
    if (problem == null && replicationId == null) {
      problem =
          "VolumeGroupReplicationClass "
              + vgrc.vgrc().getMetadata().getName()
              + " is missing replicationID (label "
              + Ramen.REPLICATION_ID_LABEL
              + ")";
    }
    if (problem != null) {
      for (Prepared p : members) {
        pvcProgressing(status, p.entry(), VrgReasons.ERROR, problem);
      }
      return false;
    }
    boolean changed = false;
    for (Prepared p : members) {
      changed |= protection.protect(vrg, p.pvc(), p.pv());
    }
    String name = ConsistencyGroups.vgrName(replicationId, vrg);
    VolumeGroupReplication vgr =
        groupReplications.ensure(
            vrg,
            name,
            first.group(),
            cluster.groups().vgrs().get(name),
            first.vrc().vrc().getMetadata().getName(),
            vgrc.vgrc().getMetadata().getName(),
            VolumeGroupReplicationSpec.ReplicationState.PRIMARY,
            false);
    VolumeReplications.Verdict verdict =
        groupReplications.asPrimary(
            vgr, members.stream().map(p -> p.pvc().getMetadata().getName()).toList());
    if (verdict.ready() && vgr.getStatus() != null) {
      for (Prepared p : members) {
        copyLastSync(p.entry(), vgr.getStatus());
      }
    }
    boolean settled = true;
    for (Prepared p : members) {
      settled &= finish(vrg, p.pvc(), p.pv(), changed, verdict, status, p.entry(), upload);
    }
    if (!verdict.ready() || Boolean.TRUE.equals(vrg.getSpec().getDryRun())) {
      return false;
    }
    String failure = new GroupMetadata(client, stores).upload(vrg, vgr);
    if (failure != null) {
      for (Prepared p : members) {
        status.setPvc(
            p.entry(), VrgCondition.CLUSTER_DATA_PROTECTED, false, VrgReasons.UPLOAD_ERROR, failure);
      }
      return false;
    }
    return settled;
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
    status.setVerdict(entry, verdict);
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

  private static void copyLastSync(ProtectedPVCs entry, VolumeReplicationStatus vr) {
    entry.setLastSyncTime(vr.getLastSyncTime());
    entry.setLastSyncDuration(vr.getLastSyncDuration());
    entry.setLastSyncBytes(vr.getLastSyncBytes());
  }

  private static void copyLastSync(ProtectedPVCs entry, VolumeGroupReplicationStatus vgr) {
    entry.setLastSyncTime(vgr.getLastSyncTime());
    entry.setLastSyncDuration(vgr.getLastSyncDuration());
    entry.setLastSyncBytes(vgr.getLastSyncBytes());
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
