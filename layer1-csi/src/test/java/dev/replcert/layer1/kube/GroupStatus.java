package dev.replcert.layer1.kube;

import dev.replcert.api.k8s.CsiAddons.ConditionType;
import dev.replcert.api.k8s.CsiAddons.Reason;
import io.fabric8.kubernetes.api.model.Condition;
import io.openshift.storage.replication.v1alpha1.VolumeGroupReplication;
import io.openshift.storage.replication.v1alpha1.VolumeGroupReplicationContent;
import io.openshift.storage.replication.v1alpha1.VolumeGroupReplicationStatus;
import io.openshift.storage.replication.v1alpha1.volumegroupreplicationcontentstatus.PersistentVolumeMappingList;
import io.openshift.storage.replication.v1alpha1.volumegroupreplicationstatus.PersistentVolumeClaimsRefList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * One observation of a VolumeGroupReplication with what csi-addons made for it: its
 * VolumeGroupReplicationContent (the driver's group and its member handles) and its
 * VolumeReplication (the group's replication state). Waits print it whole on timeout; any part may
 * be missing (not created yet, or gone).
 */
public record GroupStatus(VolumeGroupReplication vgr, VolumeGroupReplicationContent content, VrStatus vr) {

  public boolean exists() {
    return vgr != null;
  }

  public long generation() {
    Long g = vgr == null ? null : vgr.getMetadata().getGeneration();
    return g == null ? 0 : g;
  }

  public Optional<VolumeGroupReplicationStatus> status() {
    return Optional.ofNullable(vgr).map(VolumeGroupReplication::getStatus);
  }

  public String state() {
    return status().map(VolumeGroupReplicationStatus::getState).orElse(null);
  }

  /** The controller has seen the VGR's current spec. */
  public boolean current() {
    return exists() && status().map(VolumeGroupReplicationStatus::getObservedGeneration)
        .filter(og -> og == generation()).isPresent();
  }

  /** {@code status.persistentVolumeClaimsRefList}: the claims the controller counts as members. */
  public List<String> members() {
    return status().map(VolumeGroupReplicationStatus::getPersistentVolumeClaimsRefList).orElse(List.of()).stream()
        .map(PersistentVolumeClaimsRefList::getName).sorted().toList();
  }

  public List<Condition> conditions() {
    return status().map(VolumeGroupReplicationStatus::getConditions).orElse(List.of());
  }

  /**
   * The VGR's current spec is seen, its state is {@code state} with Completed=True/{@code reason},
   * and the group's own VR agrees for its generation (the VGR's conditions are copied from it).
   */
  public boolean completed(String state, Reason reason) {
    return current() && state.equals(state())
        && conditions().stream().anyMatch(c -> ConditionType.COMPLETED.wire().equals(c.getType())
            && "True".equals(c.getStatus()) && reason.wire().equals(c.getReason()))
        && vr.completed(reason);
  }

  /** The group id the driver gave ({@code spec.volumeGroupReplicationHandle} of the content). */
  public String groupHandle() {
    return content == null ? null : content.getSpec().getVolumeGroupReplicationHandle();
  }

  /** {@code spec.source.volumeHandles} of the content. */
  public List<String> contentHandles() {
    return content == null || content.getSpec().getSource() == null
        || content.getSpec().getSource().getVolumeHandles() == null
        ? List.of()
        : content.getSpec().getSource().getVolumeHandles();
  }

  /** {@code status.persistentVolumeMappingList} of the content. */
  public List<PersistentVolumeMappingList> mappings() {
    return content == null || content.getStatus() == null
        || content.getStatus().getPersistentVolumeMappingList() == null
        ? List.of()
        : content.getStatus().getPersistentVolumeMappingList();
  }

  /** The peer's group id when the content reports one ({@code status.destinationVolumeGroupID}). */
  public Optional<String> destinationGroup() {
    return Optional.ofNullable(content).map(VolumeGroupReplicationContent::getStatus)
        .map(s -> s.getDestinationVolumeGroupID()).filter(id -> !id.isBlank());
  }

  @Override
  public String toString() {
    if (vgr == null) {
      return "no such VolumeGroupReplication";
    }
    String head = "generation " + generation() + ", spec " + vgr.getSpec().getReplicationState()
        + (vgr.getMetadata().getDeletionTimestamp() == null ? "" : ", deleting")
        + ", finalizers " + vgr.getMetadata().getFinalizers();
    String status = status().map(s -> "status{state " + s.getState() + ", observedGeneration "
            + s.getObservedGeneration() + ", message \"" + s.getMessage() + "\", conditions "
            + conditions().stream().map(c -> c.getType() + "=" + c.getStatus() + "/" + c.getReason())
                .collect(Collectors.joining(", ", "[", "]"))
            + ", persistentVolumeClaimsRefList " + members() + "}")
        .orElse("no status");
    String contentText = content == null
        ? "no content"
        : "content " + content.getMetadata().getName() + "{handle " + groupHandle() + ", volumeHandles "
            + contentHandles() + ", persistentVolumeMappingList " + mappings().stream()
                .map(m -> m.getName() + "=" + m.getVolumeHandle()
                    + (m.getDestinationVolumeHandle() == null ? "" : "->" + m.getDestinationVolumeHandle()))
                .toList()
            + ", destinationVolumeGroupID " + destinationGroup().orElse(null) + "}";
    return head + ", " + status + "; " + contentText + "; VR " + vr;
  }
}
