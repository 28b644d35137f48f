package dev.replcert.lab.substrate.provisioner;

import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.List;
import java.util.Objects;

/** Facts about claims and volumes the PV controller and the provisioner decide by. */
final class Claims {

  static final String PROTECTION_FINALIZER = "kubernetes.io/pvc-protection";
  static final String ANN_PROVISIONED_BY = "pv.kubernetes.io/provisioned-by";
  static final String ANN_BIND_COMPLETED = "pv.kubernetes.io/bind-completed";
  static final String ANN_BOUND_BY_CONTROLLER = "pv.kubernetes.io/bound-by-controller";
  static final String ANN_STORAGE_PROVISIONER = "volume.kubernetes.io/storage-provisioner";
  static final String ANN_BETA_STORAGE_PROVISIONER =
      "volume.beta.kubernetes.io/storage-provisioner";

  private Claims() {}

  static String key(String namespace, String name) {
    return "pvc/" + namespace + "/" + name;
  }

  static String key(PersistentVolumeClaim pvc) {
    return key(pvc.getMetadata().getNamespace(), pvc.getMetadata().getName());
  }

  /** Whether the PV's claimRef names this claim; a claimRef without uid (pre-bound) names any. */
  static boolean claimRefNames(PersistentVolume pv, PersistentVolumeClaim pvc) {
    ObjectReference ref = pv.getSpec().getClaimRef();
    if (ref == null) {
      return false;
    }
    boolean sameName =
        Objects.equals(ref.getNamespace(), pvc.getMetadata().getNamespace())
            && Objects.equals(ref.getName(), pvc.getMetadata().getName());
    return sameName && (isBlank(ref.getUid()) || ref.getUid().equals(pvc.getMetadata().getUid()));
  }

  /** Bound for good: the PV's claimRef carries this claim's uid. */
  static boolean boundTo(PersistentVolume pv, PersistentVolumeClaim pvc) {
    ObjectReference ref = pv.getSpec().getClaimRef();
    return claimRefNames(pv, pvc)
        && ref.getUid() != null
        && ref.getUid().equals(pvc.getMetadata().getUid());
  }

  static long requestedBytes(PersistentVolumeClaim pvc) {
    Quantity q =
        pvc.getSpec().getResources() == null || pvc.getSpec().getResources().getRequests() == null
            ? null
            : pvc.getSpec().getResources().getRequests().get("storage");
    return q == null ? 0 : Quantity.getAmountInBytes(q).longValue();
  }

  static String volumeMode(PersistentVolumeClaim pvc) {
    String mode = pvc.getSpec().getVolumeMode();
    return mode == null ? "Filesystem" : mode;
  }

  /** A pod that is not finished and mounts the claim: what pvc-protection waits for. */
  static boolean uses(Pod pod, PersistentVolumeClaim pvc) {
    String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
    if ("Succeeded".equals(phase) || "Failed".equals(phase)) {
      return false;
    }
    return claimNames(pod).contains(pvc.getMetadata().getName());
  }

  static List<String> claimNames(Pod pod) {
    if (pod.getSpec() == null || pod.getSpec().getVolumes() == null) {
      return List.of();
    }
    return pod.getSpec().getVolumes().stream()
        .filter(v -> v.getPersistentVolumeClaim() != null)
        .map(v -> v.getPersistentVolumeClaim().getClaimName())
        .toList();
  }

  static boolean isBlank(String s) {
    return s == null || s.isEmpty();
  }
}
