package dev.replcert.orchestrator.vrg;

import dev.replcert.api.k8s.Ramen.VrgCondition;
import dev.replcert.orchestrator.k8s.Conditions;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import io.fabric8.kubernetes.api.model.storage.VolumeAttachment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.openshift.ramendr.v1alpha1.VolumeReplicationGroup;
import io.openshift.ramendr.v1alpha1.VolumeReplicationGroupSpec;
import io.openshift.ramendr.v1alpha1.volumereplicationgroupstatus.ProtectedPVCs;
import io.openshift.storage.replication.v1alpha1.VolumeReplication;
import io.openshift.storage.replication.v1alpha1.VolumeReplicationSpec.ReplicationState;
import io.openshift.storage.replication.v1alpha1.VolumeGroupReplication;
import io.openshift.storage.replication.v1alpha1.VolumeGroupReplicationSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Ramen's {@code processAsSecondary} for VolumeReplication PVCs. Only PVCs this VRG protected (they
 * carry the pvc-vr-protection finalizer) are demoted, and only once nothing can write them: the PVC
 * is deleted (unless the action is Failover) and no pod or VolumeAttachment uses it. The VR goes
 * secondary (autoResync only after a Failover); once it reports ready and the PVC is deleted, the
 * VR is deleted and the protection undone, which lets the claim go.
 */
final class AsSecondary {

  private final KubernetesClient client;
  private final PvcProtection protection;
  private final VolumeReplications replications;
  private final GroupReplications groupReplications;

  AsSecondary(KubernetesClient client) {
    this.client = client;
    this.protection = new PvcProtection(client);
    this.replications = new VolumeReplications(client);
    this.groupReplications = new GroupReplications(client);
  }

  boolean reconcile(VolumeReplicationGroup vrg, VrgStatusWriter status) {
    status.set(
        VrgCondition.CLUSTER_DATA_READY,
        "True",
        VrgReasons.UNUSED,
        "Cluster data is not restored as Secondary");
    status.status().setLastGroupSyncTime(null);
    status.status().setPrepareForFinalSyncComplete(null);
    status.status().setFinalSyncComplete(null);
    ClusterState cluster = ClusterState.read(client, vrg);
    List<Pod> pods = client.pods().inNamespace(vrg.getMetadata().getNamespace()).list().getItems();
    List<VolumeAttachment> attachments =
        client.storage().v1().volumeAttachments().list().getItems();
    boolean settled = true;
    Map<String, List<PersistentVolumeClaim>> groups = new TreeMap<>();
    for (PersistentVolumeClaim pvc : cluster.selected()) {
      if (!PvcProtection.hasFinalizer(pvc)) {
        continue;
      }
      String group = ConsistencyGroups.label(pvc, VrgNames.CG_LABEL);
      if (ConsistencyGroups.enabled(vrg) && cluster.groups().installed() && group != null) {
        groups.computeIfAbsent(group, g -> new ArrayList<>()).add(pvc);
      } else {
        settled &= demote(vrg, cluster, pods, attachments, pvc, status);
      }
    }
    for (List<PersistentVolumeClaim> members : groups.values()) {
      settled &= demoteGroup(vrg, cluster, pods, attachments, members, status);
    }
    return settled;
  }

  /**
   * One consistency group as secondary (Ramen's {@code reconcileVolGroupRepsAsSecondary}): every
   * member must be ready for secondary before the group's VGR is demoted; once it is in sync (or
   * resyncing) and every member is deleted, the VGR goes and the members are let go. A VGR that is
   * missing leaves nothing to demote: its members are unprotected ({@code reconcileMissingVGR}).
   */
  private boolean demoteGroup(
      VolumeReplicationGroup vrg,
      ClusterState cluster,
      List<Pod> pods,
      List<VolumeAttachment> attachments,
      List<PersistentVolumeClaim> members,
      VrgStatusWriter status) {
    boolean failover = vrg.getSpec().getAction() == VolumeReplicationGroupSpec.Action.FAILOVER;
    List<ProtectedPVCs> entries =
        members.stream()
            .map(p -> status.entry(p.getMetadata().getNamespace(), p.getMetadata().getName()))
            .toList();
    for (int i = 0; i < members.size(); i++) {
      PersistentVolumeClaim pvc = members.get(i);
      if (!failover && !ClusterState.isDeleted(pvc)) {
        return progressing(
            status, entries, "unable to transition to Secondary as PVC " + pvc.getMetadata().getName()
                + " is not deleted");
      }
      String user = user(pvc, pods, attachments);
      if (user != null) {
        return progressing(
            status,
            entries,
            "unable to transition to Secondary as PVC "
                + pvc.getMetadata().getName()
                + " is potentially in use by "
                + user);
      }
    }
    VolumeGroupReplication vgr = groupOf(vrg, cluster, members.get(0));
    boolean allDeleted = members.stream().allMatch(ClusterState::isDeleted);
    if (vgr == null) {
      for (PersistentVolumeClaim pvc : members) {
        protection.unprotect(vrg, pvc, cluster.pvOf(pvc), true);
        letGo(status, pvc);
      }
      return true;
    }
    if (vgr.getMetadata().getDeletionTimestamp() != null) {
      return false;
    }
    vgr =
        groupReplications.ensure(
            vrg,
            vgr.getMetadata().getName(),
            null,
            vgr,
            null,
            null,
            VolumeGroupReplicationSpec.ReplicationState.SECONDARY,
            failover);
    VolumeReplications.Verdict verdict =
        groupReplications.asSecondary(
            vgr, members.stream().map(p -> p.getMetadata().getName()).toList());
    for (ProtectedPVCs entry : entries) {
      status.setVerdict(entry, verdict);
    }
    if (!verdict.ready()) {
      return false;
    }
    if (!allDeleted) {
      return true;
    }
    // demoted and in sync or resyncing: the VGR goes (csi-addons disables the group's replication
    // and deletes the group), then the claims are let go
    if (!groupReplications.delete(vgr)) {
      return false;
    }
    for (PersistentVolumeClaim pvc : members) {
      protection.unprotect(vrg, pvc, cluster.pvOf(pvc), true);
      letGo(status, pvc);
    }
    return true;
  }

  /** The VGR this VRG made for the group of this claim (selector carries the group label). */
  private VolumeGroupReplication groupOf(
      VolumeReplicationGroup vrg, ClusterState cluster, PersistentVolumeClaim member) {
    String group = ConsistencyGroups.label(member, VrgNames.CG_LABEL);
    return groupReplications.ownedBy(vrg, cluster.groups().vgrs()).stream()
        .filter(
            v ->
                v.getSpec().getSource() != null
                    && v.getSpec().getSource().getSelector() != null
                    && v.getSpec().getSource().getSelector().getMatchLabels() != null
                    && group.equals(
                        v.getSpec().getSource().getSelector().getMatchLabels().get(VrgNames.CG_LABEL)))
        .findFirst()
        .orElse(null);
  }

  private static boolean progressing(
      VrgStatusWriter status, List<ProtectedPVCs> entries, String message) {
    for (ProtectedPVCs entry : entries) {
      progressing(status, entry, message);
    }
    return false;
  }

  private boolean demote(
      VolumeReplicationGroup vrg,
      ClusterState cluster,
      List<Pod> pods,
      List<VolumeAttachment> attachments,
      PersistentVolumeClaim pvc,
      VrgStatusWriter status) {
    ProtectedPVCs entry =
        status.entry(pvc.getMetadata().getNamespace(), pvc.getMetadata().getName());
    boolean failover = vrg.getSpec().getAction() == VolumeReplicationGroupSpec.Action.FAILOVER;
    if (!failover && !ClusterState.isDeleted(pvc)) {
      return progressing(status, entry, "unable to transition to Secondary as PVC is not deleted");
    }
    String user = user(pvc, pods, attachments);
    if (user != null) {
      return progressing(
          status,
          entry,
          "unable to transition to Secondary as PVC is potentially in use by " + user);
    }
    VolumeReplication existing = cluster.vrs().get(pvc.getMetadata().getName());
    if (ClusterState.isDeleted(pvc)) {
      // a VR already judged ready and deleted (this status says so) is not made again
      if (existing == null && readyAsSecondary(entry, status.generation())) {
        protection.unprotect(vrg, pvc, cluster.pvOf(pvc), vrg.getSpec().getAsync() != null);
        letGo(status, pvc);
        return true;
      }
      if (existing != null && existing.getMetadata().getDeletionTimestamp() != null) {
        return false;
      }
    }
    String vrcName =
        existing == null
            ? vrcName(vrg, cluster, pvc)
            : existing.getSpec().getVolumeReplicationClass();
    if (vrcName == null) {
      status.setPvc(
          entry,
          VrgCondition.DATA_READY,
          false,
          VrgReasons.ERROR,
          "failed to find the appropriate VolumeReplicationClass");
      return false;
    }
    VolumeReplication vr =
        replications.ensure(vrg, pvc, existing, vrcName, ReplicationState.SECONDARY, failover);
    VolumeReplications.Verdict verdict = VolumeReplications.asSecondary(vr);
    status.setVerdict(entry, verdict);
    if (!verdict.ready()) {
      return false;
    }
    if (!ClusterState.isDeleted(pvc)) {
      return true;
    }
    // demoted and in sync or resyncing: the VR goes, then the claim is let go (its PV stays Retain
    // only if the VRG did not make it so)
    client.resource(vr).delete();
    if (client.resource(vr).get() != null) {
      // csi-addons disables replication before it lets the VR go
      return false;
    }
    PersistentVolume pv = cluster.pvOf(pvc);
    protection.unprotect(vrg, pvc, pv, vrg.getSpec().getAsync() != null);
    letGo(status, pvc);
    return true;
  }

  /**
   * A claim let go is no longer this VRG's: its entry goes (Ramen: {@code pvcStatusDeleteIfPresent}
   * after {@code undoPVCFinalizersAndPVRetention}). A kept entry would say DataProtected False for
   * good once its VR is deleted mid-resync, and a Relocate back to this cluster would never start.
   */
  private static void letGo(VrgStatusWriter status, PersistentVolumeClaim pvc) {
    status.removeEntry(pvc.getMetadata().getNamespace(), pvc.getMetadata().getName());
  }

  private static boolean readyAsSecondary(ProtectedPVCs entry, Long generation) {
    return Conditions.find(entry.getConditions(), VrgCondition.DATA_READY.wire())
        .filter(
            c ->
                "True".equals(c.getStatus())
                    && java.util.Objects.equals(generation, c.getObservedGeneration()))
        .filter(
            c ->
                VrgReasons.REPLICATED.equals(c.getReason())
                    || VrgReasons.REPLICATING.equals(c.getReason()))
        .isPresent();
  }

  private static String vrcName(
      VolumeReplicationGroup vrg, ClusterState cluster, PersistentVolumeClaim pvc) {
    StorageClass sc = cluster.storageClassOf(pvc);
    if (sc == null || vrg.getSpec().getAsync() == null) {
      return null;
    }
    var choice = ReplicationClasses.choose(vrg, sc, cluster.replicationClasses());
    return choice.vrc() == null ? null : choice.vrc().getMetadata().getName();
  }

  /** A pod (not finished) that mounts the claim, or a VolumeAttachment of its PV; null if none. */
  private static String user(
      PersistentVolumeClaim pvc, List<Pod> pods, List<VolumeAttachment> attachments) {
    String name = pvc.getMetadata().getName();
    for (Pod pod : pods) {
      String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
      boolean finished = "Succeeded".equals(phase) || "Failed".equals(phase);
      boolean mounts =
          pod.getSpec() != null
              && pod.getSpec().getVolumes() != null
              && pod.getSpec().getVolumes().stream()
                  .anyMatch(
                      v ->
                          v.getPersistentVolumeClaim() != null
                              && name.equals(v.getPersistentVolumeClaim().getClaimName()));
      if (mounts && !finished) {
        return "pod " + pod.getMetadata().getName();
      }
    }
    String pv = pvc.getSpec().getVolumeName();
    if (pv != null) {
      boolean attached =
          attachments.stream()
              .anyMatch(
                  a ->
                      a.getSpec() != null
                          && a.getSpec().getSource() != null
                          && pv.equals(a.getSpec().getSource().getPersistentVolumeName()));
      if (attached) {
        return "a VolumeAttachment of PV " + pv;
      }
    }
    return null;
  }

  private static boolean progressing(VrgStatusWriter status, ProtectedPVCs entry, String message) {
    status.setPvc(entry, VrgCondition.DATA_READY, false, VrgReasons.PROGRESSING, message);
    status.setPvc(entry, VrgCondition.DATA_PROTECTED, false, VrgReasons.PROGRESSING, message);
    return false;
  }
}
