package dev.replcert.lab.substrate.provisioner;

import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * Binds a claim and a volume both ways in the PV controller's order: the PV's claimRef (with the
 * claim's uid) first, then the PV's phase, then the claim's volumeName, annotations and
 * pvc-protection finalizer, then the claim's status. Each step is skipped when already done, so a
 * crash in between is finished by the next reconcile.
 */
final class ClaimBinder {

  private final KubernetesClient client;

  ClaimBinder(KubernetesClient client) {
    this.client = client;
  }

  void bind(PersistentVolumeClaim pvc, PersistentVolume pv) {
    String pvName = pv.getMetadata().getName();
    if (!Claims.boundTo(pv, pvc)) {
      boolean byController = pv.getSpec().getClaimRef() == null;
      pv =
          client
              .persistentVolumes()
              .withName(pvName)
              .edit(
                  p -> {
                    PersistentVolumeBuilder b =
                        new PersistentVolumeBuilder(p)
                            .editSpec()
                            .withClaimRef(
                                new ObjectReferenceBuilder()
                                    .withApiVersion("v1")
                                    .withKind("PersistentVolumeClaim")
                                    .withNamespace(pvc.getMetadata().getNamespace())
                                    .withName(pvc.getMetadata().getName())
                                    .withUid(pvc.getMetadata().getUid())
                                    .withResourceVersion(pvc.getMetadata().getResourceVersion())
                                    .build())
                            .endSpec();
                    if (byController) {
                      b.editMetadata()
                          .addToAnnotations(Claims.ANN_BOUND_BY_CONTROLLER, "yes")
                          .endMetadata();
                    }
                    return b.build();
                  });
    }
    if (pv.getStatus() == null || !"Bound".equals(pv.getStatus().getPhase())) {
      client
          .persistentVolumes()
          .withName(pvName)
          .editStatus(
              p ->
                  new PersistentVolumeBuilder(p)
                      .editOrNewStatus()
                      .withPhase("Bound")
                      .endStatus()
                      .build());
    }
    PersistentVolume bound = pv;
    boolean volumeNameByController = Claims.isBlank(pvc.getSpec().getVolumeName());
    var claims =
        client
            .persistentVolumeClaims()
            .inNamespace(pvc.getMetadata().getNamespace())
            .withName(pvc.getMetadata().getName());
    if (!boundClaim(pvc, pvName)) {
      claims.edit(
          c -> {
            PersistentVolumeClaimBuilder b =
                new PersistentVolumeClaimBuilder(c)
                    .editSpec()
                    .withVolumeName(pvName)
                    .endSpec()
                    .editMetadata()
                    .addToAnnotations(Claims.ANN_BIND_COMPLETED, "yes")
                    .endMetadata();
            if (volumeNameByController) {
              b.editMetadata()
                  .addToAnnotations(Claims.ANN_BOUND_BY_CONTROLLER, "yes")
                  .endMetadata();
            }
            if (c.getMetadata().getFinalizers() == null
                || !c.getMetadata().getFinalizers().contains(Claims.PROTECTION_FINALIZER)) {
              b.editMetadata().addToFinalizers(Claims.PROTECTION_FINALIZER).endMetadata();
            }
            return b.build();
          });
    }
    PersistentVolumeClaim now = claims.get();
    if (now.getStatus() == null
        || !"Bound".equals(now.getStatus().getPhase())
        || now.getStatus().getCapacity() == null
        || now.getStatus().getCapacity().isEmpty()) {
      claims.editStatus(
          c ->
              new PersistentVolumeClaimBuilder(c)
                  .editOrNewStatus()
                  .withPhase("Bound")
                  .withAccessModes(bound.getSpec().getAccessModes())
                  .withCapacity(bound.getSpec().getCapacity())
                  .endStatus()
                  .build());
    }
  }

  private static boolean boundClaim(PersistentVolumeClaim pvc, String pvName) {
    var annotations = pvc.getMetadata().getAnnotations();
    var finalizers = pvc.getMetadata().getFinalizers();
    return pvName.equals(pvc.getSpec().getVolumeName())
        && annotations != null
        && "yes".equals(annotations.get(Claims.ANN_BIND_COMPLETED))
        && finalizers != null
        && finalizers.contains(Claims.PROTECTION_FINALIZER);
  }
}
