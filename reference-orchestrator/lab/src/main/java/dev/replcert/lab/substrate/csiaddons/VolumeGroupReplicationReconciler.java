package dev.replcert.lab.substrate.csiaddons;

import dev.replcert.api.k8s.CsiAddons;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.openshift.storage.replication.v1alpha1.VolumeGroupReplication;
import io.openshift.storage.replication.v1alpha1.VolumeGroupReplicationClass;
import io.openshift.storage.replication.v1alpha1.VolumeGroupReplicationContent;
import io.openshift.storage.replication.v1alpha1.VolumeGroupReplicationContentSpec;
import io.openshift.storage.replication.v1alpha1.VolumeGroupReplicationStatus;
import io.openshift.storage.replication.v1alpha1.VolumeReplication;
import io.openshift.storage.replication.v1alpha1.VolumeReplicationSpec;
import io.openshift.storage.replication.v1alpha1.volumegroupreplicationcontentspec.Source;
import io.openshift.storage.replication.v1alpha1.volumegroupreplicationstatus.PersistentVolumeClaimsRefList;
import io.openshift.storage.replication.v1alpha1.volumereplicationspec.DataSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * VolumeGroupReplication: the PVCs its {@code source.selector} picks (evaluated in Java) become a
 * VolumeGroupReplicationContent {@code vgrcontent-<uid>} with their volume handles, and, once the
 * content has a group id, a VolumeReplication {@code vr-<uid>} with dataSource kind
 * VolumeGroupReplication carries the replication state. Members get the vgr-protection finalizer.
 * The VR's status is mirrored into the VGR's with {@code persistentVolumeClaimsRefList}.
 */
final class VolumeGroupReplicationReconciler {

  static final String API_GROUP = "replication.storage.openshift.io";

  private final KubernetesClient client;
  private final String driverName;
  private final ControllerTiming timing;

  VolumeGroupReplicationReconciler(
      KubernetesClient client, String driverName, ControllerTiming timing) {
    this.client = client;
    this.driverName = driverName;
    this.timing = timing;
  }

  /** Every VGR of the namespace of a changed PVC (membership is decided by labels). */
  List<String> keysOfNamespace(HasMetadata pvc) {
    return client
        .resources(VolumeGroupReplication.class)
        .inNamespace(pvc.getMetadata().getNamespace())
        .list()
        .getItems()
        .stream()
        .map(Controller::key)
        .toList();
  }

  /** The VGR a VR or content belongs to. */
  static List<String> ownerOf(VolumeReplication vr) {
    DataSource ds = vr.getSpec() == null ? null : vr.getSpec().getDataSource();
    return ds != null && VolumeReplicationReconciler.VGR_KIND.equals(ds.getKind())
        ? List.of(vr.getMetadata().getNamespace() + "/" + ds.getName())
        : List.of();
  }

  static List<String> ownerOf(VolumeGroupReplicationContent content) {
    ObjectReference ref =
        content.getSpec() == null ? null : content.getSpec().getVolumeGroupReplicationRef();
    return ref == null ? List.of() : List.of(ref.getNamespace() + "/" + ref.getName());
  }

  Optional<Duration> reconcile(String key) {
    String[] parts = key.split("/", 2);
    String namespace = parts[0];
    var resource =
        client.resources(VolumeGroupReplication.class).inNamespace(namespace).withName(parts[1]);
    VolumeGroupReplication vgr = resource.get();
    if (vgr == null) {
      return Optional.empty();
    }
    String uid = vgr.getMetadata().getUid();
    String contentName =
        Objects.requireNonNullElse(
            vgr.getSpec().getVolumeGroupReplicationContentName(), "vgrcontent-" + uid);
    String vrName =
        Objects.requireNonNullElse(vgr.getSpec().getVolumeReplicationName(), "vr-" + uid);
    var vrResource =
        client.resources(VolumeReplication.class).inNamespace(namespace).withName(vrName);
    var contentResource =
        client.resources(VolumeGroupReplicationContent.class).withName(contentName);

    if (vgr.getMetadata().getDeletionTimestamp() != null) {
      // the VR first (it disables replication of the group), then the content (deletes the group)
      if (vrResource.get() != null) {
        vrResource.delete();
        return Optional.of(timing.errorRequeue());
      }
      if (contentResource.get() != null) {
        contentResource.delete();
        return Optional.of(timing.errorRequeue());
      }
      for (PersistentVolumeClaim pvc :
          client.persistentVolumeClaims().inNamespace(namespace).list().getItems()) {
        if (pvc.getMetadata().getFinalizers().contains(CsiAddons.VGR_PROTECTION_FINALIZER)
            && claimedBy(vgr, pvc)) {
          editPvc(pvc, false);
        }
      }
      resource.edit(
          v -> {
            v.getMetadata().getFinalizers().remove(CsiAddons.VGR_PROTECTION_FINALIZER);
            return v;
          });
      return Optional.empty();
    }

    if (!vgr.getMetadata().getFinalizers().contains(CsiAddons.VGR_PROTECTION_FINALIZER)
        || vgr.getSpec().getVolumeGroupReplicationContentName() == null
        || vgr.getSpec().getVolumeReplicationName() == null) {
      resource.edit(
          v -> {
            if (!v.getMetadata().getFinalizers().contains(CsiAddons.VGR_PROTECTION_FINALIZER)) {
              v.getMetadata().getFinalizers().add(CsiAddons.VGR_PROTECTION_FINALIZER);
            }
            v.getSpec().setVolumeGroupReplicationContentName(contentName);
            v.getSpec().setVolumeReplicationName(vrName);
            return v;
          });
    }
    VolumeGroupReplicationClass vgrc =
        client
            .resources(VolumeGroupReplicationClass.class)
            .withName(vgr.getSpec().getVolumeGroupReplicationClassName())
            .get();
    if (vgrc == null || !driverName.equals(vgrc.getSpec().getProvisioner())) {
      return fail(
          resource,
          vgr,
          vgrc == null
              ? "volumegroupreplicationclasses.replication.storage.openshift.io \""
                  + vgr.getSpec().getVolumeGroupReplicationClassName()
                  + "\" not found"
              : "no connections for driver: " + vgrc.getSpec().getProvisioner());
    }

    // members: selected and bound, sorted so the handle list is stable. A claim being deleted
    // stays a member while it exists: its group may still have to be demoted with it (a DR
    // orchestrator deletes the claims of the cluster it leaves before it demotes their group), and
    // the group's protection finalizer holds it until the claim leaves the selector or the group
    // goes.
    List<PersistentVolumeClaim> all =
        client.persistentVolumeClaims().inNamespace(namespace).list().getItems();
    List<PersistentVolumeClaim> members =
        all.stream()
            .filter(
                p ->
                    LabelSelectors.matches(
                        vgr.getSpec().getSource() == null
                            ? null
                            : vgr.getSpec().getSource().getSelector(),
                        p.getMetadata().getLabels()))
            .sorted(Comparator.comparing(p -> p.getMetadata().getName()))
            .toList();
    List<String> handles = new ArrayList<>();
    for (PersistentVolumeClaim pvc : members) {
      if (pvc.getStatus() == null || !"Bound".equals(pvc.getStatus().getPhase())) {
        return fail(
            resource, vgr, "PVC \"" + pvc.getMetadata().getName() + "\" is not bound to any PV");
      }
      PersistentVolume pv =
          client.persistentVolumes().withName(pvc.getSpec().getVolumeName()).get();
      if (pv == null || pv.getSpec().getCsi() == null) {
        return fail(
            resource, vgr, "PV of PVC \"" + pvc.getMetadata().getName() + "\" is not a CSI volume");
      }
      handles.add(pv.getSpec().getCsi().getVolumeHandle());
    }
    Set<String> memberNames =
        members.stream().map(p -> p.getMetadata().getName()).collect(Collectors.toSet());
    for (PersistentVolumeClaim pvc : all) {
      boolean has = pvc.getMetadata().getFinalizers().contains(CsiAddons.VGR_PROTECTION_FINALIZER);
      boolean member = memberNames.contains(pvc.getMetadata().getName());
      if (member && !has && pvc.getMetadata().getDeletionTimestamp() == null) {
        editPvc(pvc, true);
      } else if (!member && has && claimedBy(vgr, pvc)) {
        editPvc(pvc, false);
      }
    }

    VolumeGroupReplicationContent content = contentResource.get();
    if (content == null) {
      content = new VolumeGroupReplicationContent();
      content.getMetadata().setName(contentName);
      VolumeGroupReplicationContentSpec spec = new VolumeGroupReplicationContentSpec();
      ObjectReference ref = new ObjectReference();
      ref.setApiVersion(API_GROUP + "/v1alpha1");
      ref.setKind(VolumeReplicationReconciler.VGR_KIND);
      ref.setNamespace(namespace);
      ref.setName(vgr.getMetadata().getName());
      ref.setUid(uid);
      spec.setVolumeGroupReplicationRef(ref);
      spec.setProvisioner(driverName);
      spec.setVolumeGroupReplicationClassName(vgr.getSpec().getVolumeGroupReplicationClassName());
      Source source = new Source();
      source.setVolumeHandles(handles);
      spec.setSource(source);
      content.setSpec(spec);
      client.resource(content).create();
    } else if (content.getSpec().getSource() == null
        || !handles.equals(content.getSpec().getSource().getVolumeHandles())) {
      contentResource.edit(
          c -> {
            Source source = new Source();
            source.setVolumeHandles(handles);
            c.getSpec().setSource(source);
            return c;
          });
    }

    VolumeReplication vr = vrResource.get();
    VolumeReplicationSpec.ReplicationState state =
        VolumeReplicationSpec.ReplicationState.valueOf(vgr.getSpec().getReplicationState().name());
    boolean autoResync = Boolean.TRUE.equals(vgr.getSpec().getAutoResync());
    if (vr == null
        && content != null
        && content.getSpec().getVolumeGroupReplicationHandle() != null) {
      vr = new VolumeReplication();
      vr.getMetadata().setName(vrName);
      vr.getMetadata().setNamespace(namespace);
      VolumeReplicationSpec spec = new VolumeReplicationSpec();
      spec.setVolumeReplicationClass(vgr.getSpec().getVolumeReplicationClassName());
      spec.setReplicationState(state);
      spec.setAutoResync(autoResync);
      DataSource ds = new DataSource();
      ds.setApiGroup(API_GROUP);
      ds.setKind(VolumeReplicationReconciler.VGR_KIND);
      ds.setName(vgr.getMetadata().getName());
      spec.setDataSource(ds);
      vr.setSpec(spec);
      vr = client.resource(vr).create();
    } else if (vr != null
        && (vr.getSpec().getReplicationState() != state
            || !Objects.equals(vr.getSpec().getAutoResync(), autoResync))) {
      vr =
          vrResource.edit(
              v -> {
                v.getSpec().setReplicationState(state);
                v.getSpec().setAutoResync(autoResync);
                return v;
              });
    }

    VolumeGroupReplicationStatus status = new VolumeGroupReplicationStatus();
    if (vr != null && vr.getStatus() != null) {
      var s = vr.getStatus();
      status.setState(s.getState());
      status.setMessage(s.getMessage());
      status.setConditions(s.getConditions());
      status.setLastStartTime(s.getLastStartTime());
      status.setLastCompletionTime(s.getLastCompletionTime());
      status.setLastSyncTime(s.getLastSyncTime());
      status.setLastSyncBytes(s.getLastSyncBytes());
      status.setLastSyncDuration(s.getLastSyncDuration());
    } else {
      status.setMessage(
          content == null || content.getSpec().getVolumeGroupReplicationHandle() == null
              ? "volume group is being created"
              : "volume replication is being created");
    }
    status.setObservedGeneration(vgr.getMetadata().getGeneration());
    status.setPersistentVolumeClaimsRefList(
        members.stream()
            .map(
                p -> {
                  PersistentVolumeClaimsRefList ref = new PersistentVolumeClaimsRefList();
                  ref.setName(p.getMetadata().getName());
                  return ref;
                })
            .toList());
    writeStatus(resource.get(), status);
    return vr == null ? Optional.of(timing.errorRequeue()) : Optional.empty();
  }

  private Optional<Duration> fail(
      io.fabric8.kubernetes.client.dsl.Resource<VolumeGroupReplication> resource,
      VolumeGroupReplication vgr,
      String message) {
    VolumeGroupReplicationStatus status =
        vgr.getStatus() == null ? new VolumeGroupReplicationStatus() : vgr.getStatus();
    status.setMessage(message);
    if (status.getState() == null) {
      status.setState(CsiAddons.VolumeState.UNKNOWN.wire());
    }
    writeStatus(resource.get(), status);
    return Optional.of(timing.errorRequeue());
  }

  /** A PVC this VGR protected: listed in its status (the previous membership). */
  private static boolean claimedBy(VolumeGroupReplication vgr, PersistentVolumeClaim pvc) {
    return vgr.getStatus() != null
        && vgr.getStatus().getPersistentVolumeClaimsRefList() != null
        && vgr.getStatus().getPersistentVolumeClaimsRefList().stream()
            .anyMatch(r -> pvc.getMetadata().getName().equals(r.getName()));
  }

  private void editPvc(PersistentVolumeClaim pvc, boolean protect) {
    client
        .persistentVolumeClaims()
        .inNamespace(pvc.getMetadata().getNamespace())
        .withName(pvc.getMetadata().getName())
        .edit(
            p -> {
              p.getMetadata().getFinalizers().remove(CsiAddons.VGR_PROTECTION_FINALIZER);
              if (protect) {
                p.getMetadata().getFinalizers().add(CsiAddons.VGR_PROTECTION_FINALIZER);
              }
              return p;
            });
  }

  private void writeStatus(VolumeGroupReplication fresh, VolumeGroupReplicationStatus status) {
    if (fresh == null) {
      return;
    }
    fresh.setStatus(status);
    client.resource(fresh).updateStatus();
  }
}
