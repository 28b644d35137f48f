package dev.replcert.lab.substrate.provisioner;

import dev.replcert.lab.substrate.Events;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The PV side of the PV controller: Available while unclaimed (or pre-bound to a claim that does
 * not exist yet), Bound while its claim exists, Released once the claim it was bound to is gone,
 * then reclaimed as its policy says: Delete deletes the driver's volume and the PV, Retain keeps
 * both for an administrator (or a DR restore).
 */
final class VolumeReconciler {

  private final KubernetesClient client;
  private final CsiProvisioning csi;

  private final Events events;

  VolumeReconciler(KubernetesClient client, CsiProvisioning csi, Events events) {
    this.client = client;
    this.csi = csi;
    this.events = events;
  }

  Optional<Duration> reconcile(String name, Consumer<String> enqueue) {
    PersistentVolume pv = client.persistentVolumes().withName(name).get();
    if (pv == null || pv.getMetadata().getDeletionTimestamp() != null) {
      return Provisioner.done();
    }
    var ref = pv.getSpec().getClaimRef();
    if (ref == null) {
      return phase(pv, "Available");
    }
    PersistentVolumeClaim claim =
        client
            .persistentVolumeClaims()
            .inNamespace(ref.getNamespace())
            .withName(ref.getName())
            .get();
    if (Claims.isBlank(ref.getUid())) {
      // pre-bound: the claim binds it (or will, once it exists)
      if (claim != null) {
        enqueue.accept(Claims.key(claim));
      }
      return phase(pv, "Available");
    }
    if (claim != null && ref.getUid().equals(claim.getMetadata().getUid())) {
      enqueue.accept(Claims.key(claim));
      return phase(pv, "Bound");
    }
    // the claim it was bound to is gone (a new claim of the same name is another claim)
    phase(pv, "Released");
    if ("Delete".equals(pv.getSpec().getPersistentVolumeReclaimPolicy()) && csi.owns(pv)) {
      try {
        csi.delete(pv);
      } catch (RuntimeException e) {
        events.warning(pv, "VolumeFailedDelete", e.getMessage());
        throw e; // retried with backoff, as external-provisioner does
      }
      client.persistentVolumes().withName(name).delete();
    }
    return Provisioner.done();
  }

  private Optional<Duration> phase(PersistentVolume pv, String phase) {
    String now = pv.getStatus() == null ? null : pv.getStatus().getPhase();
    if (!Objects.equals(now, phase)) {
      client
          .persistentVolumes()
          .withName(pv.getMetadata().getName())
          .editStatus(
              p ->
                  new PersistentVolumeBuilder(p)
                      .editOrNewStatus()
                      .withPhase(phase)
                      .endStatus()
                      .build());
    }
    return Provisioner.done();
  }
}
