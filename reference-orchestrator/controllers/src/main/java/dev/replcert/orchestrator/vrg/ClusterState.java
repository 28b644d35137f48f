package dev.replcert.orchestrator.vrg;

import dev.replcert.orchestrator.k8s.LabelSelectors;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.openshift.ramendr.v1alpha1.VolumeReplicationGroup;
import io.openshift.storage.replication.v1alpha1.VolumeGroupReplication;
import io.openshift.storage.replication.v1alpha1.VolumeGroupReplicationClass;
import io.openshift.storage.replication.v1alpha1.VolumeReplication;
import io.openshift.storage.replication.v1alpha1.VolumeReplicationClass;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * What one reconcile sees, read fresh from the API server at its start (a handful of lists), so
 * every decision derives from current state. Label selectors are evaluated here, in Java.
 */
record ClusterState(
    List<PersistentVolumeClaim> pvcs,
    List<PersistentVolumeClaim> selected,
    Map<String, VolumeReplication> vrs,
    Map<String, PersistentVolume> pvs,
    Map<String, StorageClass> storageClasses,
    List<VolumeReplicationClass> replicationClasses,
    Groups groups) {

  /**
   * The VolumeGroupReplications of the namespace and the group classes, read only for a VRG with
   * consistency groups enabled; {@code installed} is false where the cluster has no such CRDs.
   */
  record Groups(
      boolean installed,
      Map<String, VolumeGroupReplication> vgrs,
      List<VolumeGroupReplicationClass> classes) {
    static final Groups NONE = new Groups(false, Map.of(), List.of());
  }

  static ClusterState read(KubernetesClient client, VolumeReplicationGroup vrg) {
    String ns = vrg.getMetadata().getNamespace();
    List<PersistentVolumeClaim> pvcs =
        client.persistentVolumeClaims().inNamespace(ns).list().getItems().stream()
            .sorted(Comparator.comparing(p -> p.getMetadata().getName()))
            .toList();
    List<PersistentVolumeClaim> selected =
        pvcs.stream()
            .filter(
                p ->
                    LabelSelectors.matches(
                        vrg.getSpec().getPvcSelector(), p.getMetadata().getLabels()))
            .toList();
    Map<String, VolumeReplication> vrs =
        client.resources(VolumeReplication.class).inNamespace(ns).list().getItems().stream()
            .collect(Collectors.toMap(v -> v.getMetadata().getName(), Function.identity()));
    Map<String, PersistentVolume> pvs =
        client.persistentVolumes().list().getItems().stream()
            .collect(Collectors.toMap(v -> v.getMetadata().getName(), Function.identity()));
    Map<String, StorageClass> classes =
        client.storage().v1().storageClasses().list().getItems().stream()
            .collect(Collectors.toMap(c -> c.getMetadata().getName(), Function.identity()));
    List<VolumeReplicationClass> vrcs =
        client.resources(VolumeReplicationClass.class).list().getItems();
    Groups groups = ConsistencyGroups.enabled(vrg) ? readGroups(client, ns) : Groups.NONE;
    return new ClusterState(pvcs, selected, vrs, pvs, classes, vrcs, groups);
  }

  private static Groups readGroups(KubernetesClient client, String ns) {
    try {
      Map<String, VolumeGroupReplication> vgrs =
          client.resources(VolumeGroupReplication.class).inNamespace(ns).list().getItems().stream()
              .collect(Collectors.toMap(v -> v.getMetadata().getName(), Function.identity()));
      return new Groups(
          true, vgrs, client.resources(VolumeGroupReplicationClass.class).list().getItems());
    } catch (KubernetesClientException e) {
      if (e.getCode() == 404) {
        return Groups.NONE;
      }
      throw e;
    }
  }

  PersistentVolume pvOf(PersistentVolumeClaim pvc) {
    String name = pvc.getSpec().getVolumeName();
    return name == null ? null : pvs.get(name);
  }

  StorageClass storageClassOf(PersistentVolumeClaim pvc) {
    String name = pvc.getSpec().getStorageClassName();
    return name == null ? null : storageClasses.get(name);
  }

  static boolean isBound(PersistentVolumeClaim pvc) {
    return pvc.getStatus() != null
        && "Bound".equals(pvc.getStatus().getPhase())
        && pvc.getSpec().getVolumeName() != null;
  }

  static boolean isDeleted(PersistentVolumeClaim pvc) {
    return pvc.getMetadata().getDeletionTimestamp() != null;
  }
}
