package dev.replcert.orchestrator.vrg;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.openshift.ramendr.v1alpha1.VolumeReplicationGroup;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Ramen's {@code protectPVC} and its undo: the VRG as the PVC's owner, the pvc-vr-protection
 * finalizer and vr-protected annotation on the PVC, reclaim policy Retain and the vr-retained
 * annotation on its PV (so losing the PVC never loses the volume). Each write happens only when
 * something is missing, so a settled PVC costs no write.
 */
final class PvcProtection {

  private final KubernetesClient client;

  PvcProtection(KubernetesClient client) {
    this.client = client;
  }

  /** Why the PVC cannot be protected by this VRG, if it cannot. */
  static Optional<String> conflict(VolumeReplicationGroup vrg, PersistentVolumeClaim pvc) {
    return owners(pvc).stream()
        .filter(
            o ->
                vrg.getKind().equals(o.getKind())
                    && !vrg.getMetadata().getName().equals(o.getName()))
        .findFirst()
        .map(o -> "PVC owned by another resource (" + o.getKind() + " " + o.getName() + ")");
  }

  static boolean isProtectedBy(VolumeReplicationGroup vrg, PersistentVolumeClaim pvc) {
    return hasFinalizer(pvc)
        && owners(pvc).stream()
            .anyMatch(
                o ->
                    vrg.getMetadata().getName().equals(o.getName())
                        && vrg.getKind().equals(o.getKind()));
  }

  static boolean hasFinalizer(PersistentVolumeClaim pvc) {
    return pvc.getMetadata().getFinalizers() != null
        && pvc.getMetadata().getFinalizers().contains(VrgNames.PVC_FINALIZER);
  }

  /** Returns whether anything had to be written. */
  boolean protect(VolumeReplicationGroup vrg, PersistentVolumeClaim pvc, PersistentVolume pv) {
    boolean changed = false;
    boolean owned =
        owners(pvc).stream().anyMatch(o -> vrg.getMetadata().getUid().equals(o.getUid()));
    if (!owned
        || !hasFinalizer(pvc)
        || !VrgNames.PVC_PROTECTED_VALUE.equals(
            annotation(pvc, VrgNames.PVC_PROTECTED_ANNOTATION))) {
      changed = true;
      editPvc(
          client,
          pvc,
          p -> {
            List<OwnerReference> refs = new ArrayList<>(owners(p));
            if (refs.stream().noneMatch(o -> vrg.getMetadata().getUid().equals(o.getUid()))) {
              refs.add(ownerReference(vrg));
            }
            p.getMetadata().setOwnerReferences(refs);
            addFinalizer(p);
            annotations(p).put(VrgNames.PVC_PROTECTED_ANNOTATION, VrgNames.PVC_PROTECTED_VALUE);
            return p;
          });
    }
    if (!"Retain".equals(pv.getSpec().getPersistentVolumeReclaimPolicy())) {
      changed = true;
      editPv(
          client,
          pv,
          v -> {
            v.getSpec().setPersistentVolumeReclaimPolicy("Retain");
            annotations(v).put(VrgNames.PV_RETAINED_ANNOTATION, VrgNames.PV_RETAINED_VALUE);
            return v;
          });
    }
    return changed;
  }

  /**
   * Ramen's {@code undoPVCFinalizersAndPVRetention}: the PV's reclaim policy goes back to Delete
   * only if the VRG made it Retain; the PVC loses the VRG as owner, the finalizer and annotations.
   * The PVC itself is never deleted.
   */
  void unprotect(
      VolumeReplicationGroup vrg,
      PersistentVolumeClaim pvc,
      PersistentVolume pv,
      boolean restoreReclaimPolicy) {
    if (pv != null
        && restoreReclaimPolicy
        && VrgNames.PV_RETAINED_VALUE.equals(annotation(pv, VrgNames.PV_RETAINED_ANNOTATION))) {
      editPv(
          client,
          pv,
          v -> {
            v.getSpec().setPersistentVolumeReclaimPolicy("Delete");
            annotations(v).remove(VrgNames.PV_RETAINED_ANNOTATION);
            return v;
          });
    }
    editPvc(
        client,
        pvc,
        p -> {
          p.getMetadata()
              .setOwnerReferences(
                  owners(p).stream()
                      .filter(
                          o ->
                              !vrg.getMetadata().getName().equals(o.getName())
                                  || !vrg.getKind().equals(o.getKind()))
                      .toList());
          if (p.getMetadata().getFinalizers() != null) {
            p.getMetadata()
                .setFinalizers(
                    p.getMetadata().getFinalizers().stream()
                        .filter(f -> !VrgNames.PVC_FINALIZER.equals(f))
                        .toList());
          }
          annotations(p).remove(VrgNames.PVC_PROTECTED_ANNOTATION);
          annotations(p).remove(VrgNames.PVC_ARCHIVED_ANNOTATION);
          return p;
        });
  }

  /** Edits the claim as the server has it now (fabric8 diffs against a fresh read). */
  static PersistentVolumeClaim editPvc(
      KubernetesClient client,
      PersistentVolumeClaim pvc,
      UnaryOperator<PersistentVolumeClaim> change) {
    return client
        .persistentVolumeClaims()
        .inNamespace(pvc.getMetadata().getNamespace())
        .withName(pvc.getMetadata().getName())
        .edit(change);
  }

  static PersistentVolume editPv(
      KubernetesClient client, PersistentVolume pv, UnaryOperator<PersistentVolume> change) {
    return client.persistentVolumes().withName(pv.getMetadata().getName()).edit(change);
  }

  private static OwnerReference ownerReference(VolumeReplicationGroup vrg) {
    return new OwnerReferenceBuilder()
        .withApiVersion(vrg.getApiVersion())
        .withKind(vrg.getKind())
        .withName(vrg.getMetadata().getName())
        .withUid(vrg.getMetadata().getUid())
        .build();
  }

  private static void addFinalizer(PersistentVolumeClaim pvc) {
    List<String> finalizers =
        new ArrayList<>(
            pvc.getMetadata().getFinalizers() == null
                ? List.of()
                : pvc.getMetadata().getFinalizers());
    if (!finalizers.contains(VrgNames.PVC_FINALIZER)) {
      finalizers.add(VrgNames.PVC_FINALIZER);
    }
    pvc.getMetadata().setFinalizers(finalizers);
  }

  static List<OwnerReference> owners(HasMetadata o) {
    return o.getMetadata().getOwnerReferences() == null
        ? List.of()
        : o.getMetadata().getOwnerReferences();
  }

  static String annotation(HasMetadata o, String key) {
    return o.getMetadata().getAnnotations() == null
        ? null
        : o.getMetadata().getAnnotations().get(key);
  }

  static Map<String, String> annotations(HasMetadata o) {
    if (o.getMetadata().getAnnotations() == null) {
      o.getMetadata().setAnnotations(new HashMap<>());
    }
    return o.getMetadata().getAnnotations();
  }
}
