package dev.replcert.orchestrator.vrg;

import dev.replcert.api.k8s.Ramen.VrgCondition;
import dev.replcert.orchestrator.k8s.Conditions;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import io.openshift.ramendr.v1alpha1.VolumeReplicationGroup;
import io.openshift.ramendr.v1alpha1.VolumeReplicationGroupStatus;
import io.openshift.ramendr.v1alpha1.volumereplicationgroupstatus.ProtectedPVCs;
import io.openshift.ramendr.v1alpha1.volumereplicationgroupstatus.protectedpvcs.ReplicationID;
import io.openshift.ramendr.v1alpha1.volumereplicationgroupstatus.protectedpvcs.Resources;
import io.openshift.ramendr.v1alpha1.volumereplicationgroupstatus.protectedpvcs.StorageID;
import io.openshift.storage.replication.v1alpha1.VolumeReplicationClass;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The status a reconcile is building: VRG-level and per-PVC conditions stamped with the VRG's
 * generation, and the {@code protectedPVCs} entries.
 */
final class VrgStatusWriter {

  private final VolumeReplicationGroupStatus status;
  private final Long generation;
  private final Clock clock;

  VrgStatusWriter(VolumeReplicationGroup vrg, VolumeReplicationGroupStatus status, Clock clock) {
    this.status = status;
    this.generation = vrg.getMetadata().getGeneration();
    this.clock = clock;
    if (status.getConditions() == null) {
      status.setConditions(new ArrayList<>());
    }
    if (status.getProtectedPVCs() == null) {
      status.setProtectedPVCs(new ArrayList<>());
    }
    // Ramen initialises its four data conditions Unknown/Initializing
    for (VrgCondition type :
        List.of(
            VrgCondition.DATA_READY,
            VrgCondition.DATA_PROTECTED,
            VrgCondition.CLUSTER_DATA_READY,
            VrgCondition.CLUSTER_DATA_PROTECTED)) {
      if (Conditions.find(status.getConditions(), type.wire()).isEmpty()) {
        set(type, "Unknown", VrgReasons.INITIALIZING, "Initializing VolumeReplicationGroup");
      }
    }
  }

  VolumeReplicationGroupStatus status() {
    return status;
  }

  Long generation() {
    return generation;
  }

  void set(VrgCondition type, String conditionStatus, String reason, String message) {
    Conditions.set(
        status.getConditions(), type.wire(), conditionStatus, reason, message, generation, clock);
  }

  boolean isTrue(VrgCondition type) {
    return Conditions.is(status.getConditions(), type.wire(), "True", generation);
  }

  /** The entry of one PVC, made on first use. */
  ProtectedPVCs entry(String namespace, String name) {
    return status.getProtectedPVCs().stream()
        .filter(p -> namespace.equals(p.getNamespace()) && name.equals(p.getName()))
        .findFirst()
        .orElseGet(
            () -> {
              ProtectedPVCs p = new ProtectedPVCs();
              p.setNamespace(namespace);
              p.setName(name);
              p.setProtectedByVolSync(false);
              p.setConditions(new ArrayList<>());
              status.getProtectedPVCs().add(p);
              return p;
            });
  }

  void removeEntry(String namespace, String name) {
    status
        .getProtectedPVCs()
        .removeIf(p -> namespace.equals(p.getNamespace()) && name.equals(p.getName()));
  }

  /** The claim's DataReady and DataProtected as its (group's) replication's verdict says. */
  void setVerdict(ProtectedPVCs entry, VolumeReplications.Verdict verdict) {
    setPvc(entry, VrgCondition.DATA_READY, verdict.dataReadyTrue(), verdict.dataReadyReason(), verdict.message());
    setPvc(
        entry,
        VrgCondition.DATA_PROTECTED,
        verdict.dataProtectedTrue(),
        verdict.dataProtectedReason(),
        verdict.message());
  }

  void setPvc(ProtectedPVCs entry, VrgCondition type, boolean ok, String reason, String message) {
    if (entry.getConditions() == null) {
      entry.setConditions(new ArrayList<>());
    }
    Conditions.set(
        entry.getConditions(),
        type.wire(),
        ok ? "True" : "False",
        reason,
        message,
        generation,
        clock);
  }

  /** What Ramen records of a PVC beside its conditions (the hub and ramenctl show these). */
  static void describe(
      ProtectedPVCs entry, PersistentVolumeClaim pvc, StorageClass sc, VolumeReplicationClass vrc) {
    var spec = pvc.getSpec();
    entry.setStorageClassName(spec.getStorageClassName());
    entry.setAccessModes(spec.getAccessModes());
    entry.setVolumeMode(spec.getVolumeMode());
    entry.setLabels(pvc.getMetadata().getLabels());
    if (spec.getResources() != null && spec.getResources().getRequests() != null) {
      Map<String, IntOrString> requests = new LinkedHashMap<>();
      spec.getResources()
          .getRequests()
          .forEach((k, q) -> requests.put(k, new IntOrString(q.toString())));
      Resources resources = new Resources();
      resources.setRequests(requests);
      entry.setResources(resources);
    }
    if (sc != null) {
      entry.setCsiProvisioner(sc.getProvisioner());
      String storageId =
          label(sc.getMetadata().getLabels(), dev.replcert.api.k8s.Ramen.STORAGE_ID_LABEL);
      if (storageId != null) {
        StorageID id = new StorageID();
        id.setId(storageId);
        entry.setStorageID(id);
      }
    }
    if (vrc != null) {
      String replicationId =
          label(vrc.getMetadata().getLabels(), dev.replcert.api.k8s.Ramen.REPLICATION_ID_LABEL);
      if (replicationId != null) {
        ReplicationID id = new ReplicationID();
        id.setId(replicationId);
        entry.setReplicationID(id);
      }
    }
  }

  private static String label(Map<String, String> labels, String key) {
    return labels == null ? null : labels.get(key);
  }
}
