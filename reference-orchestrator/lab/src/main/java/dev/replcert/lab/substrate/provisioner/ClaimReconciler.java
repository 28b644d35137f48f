package dev.replcert.lab.substrate.provisioner;

import dev.replcert.lab.substrate.Events;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.HttpURLConnection;
import java.time.Duration;
import java.util.Optional;

/**
 * The claim side: find the claim's volume (named by the claim, pre-bound to it, or provisioned
 * now) and have the {@link ClaimBinder} bind them; let a deleted claim go once no unfinished pod
 * mounts it (pvc-protection).
 */
final class ClaimReconciler {

  private final KubernetesClient client;
  private final CsiProvisioning csi;
  private final Events events;
  private final ClaimBinder binder;

  ClaimReconciler(KubernetesClient client, CsiProvisioning csi, Events events) {
    this.client = client;
    this.csi = csi;
    this.events = events;
    this.binder = new ClaimBinder(client);
  }

  Optional<Duration> reconcile(String namespace, String name) {
    PersistentVolumeClaim pvc =
        client.persistentVolumeClaims().inNamespace(namespace).withName(name).get();
    if (pvc == null) {
      return Provisioner.done();
    }
    if (pvc.getMetadata().getDeletionTimestamp() != null) {
      releaseProtection(pvc);
      return Provisioner.done();
    }
    PersistentVolume pv = volumeFor(pvc);
    if (pv == null) {
      markPending(pvc);
      return Provisioner.done();
    }
    binder.bind(pvc, pv);
    return Provisioner.done();
  }

  /** A claim nobody has bound yet says so, as the PV controller reports it. */
  private void markPending(PersistentVolumeClaim pvc) {
    if (pvc.getStatus() == null || pvc.getStatus().getPhase() == null) {
      client
          .persistentVolumeClaims()
          .inNamespace(pvc.getMetadata().getNamespace())
          .withName(pvc.getMetadata().getName())
          .editStatus(
              c ->
                  new PersistentVolumeClaimBuilder(c)
                      .editOrNewStatus()
                      .withPhase("Pending")
                      .endStatus()
                      .build());
    }
  }

  /**
   * The claim's volume: named by the claim, pre-bound to it, or provisioned now; null: none yet.
   */
  private PersistentVolume volumeFor(PersistentVolumeClaim pvc) {
    String volumeName = pvc.getSpec().getVolumeName();
    if (!Claims.isBlank(volumeName)) {
      PersistentVolume pv = client.persistentVolumes().withName(volumeName).get();
      if (pv != null && pv.getSpec().getClaimRef() != null && !Claims.claimRefNames(pv, pvc)) {
        events.warning(
            pvc,
            "FailedBinding",
            "volume \"" + volumeName + "\" already bound to a different claim.");
        return null;
      }
      return pv; // null: it may be restored later; its creation brings us back
    }
    Optional<PersistentVolume> preBound =
        client.persistentVolumes().list().getItems().stream()
            .filter(
                pv ->
                    pv.getMetadata().getDeletionTimestamp() == null
                        && Claims.claimRefNames(pv, pvc))
            .findFirst();
    if (preBound.isPresent()) {
      return preBound.get();
    }
    return provision(pvc);
  }

  private PersistentVolume provision(PersistentVolumeClaim pvc) {
    StorageClass sc = storageClass(pvc);
    if (sc == null || !csi.driverName().equals(sc.getProvisioner())) {
      return null; // another provisioner's claim, a static one, or a class that does not exist yet
    }
    String className = sc.getMetadata().getName();
    annotateProvisioner(pvc);
    PersistentVolume existing =
        client.persistentVolumes().withName(CsiProvisioning.volumeName(pvc)).get();
    if (existing != null) {
      return existing; // provisioned before a restart or a conflict
    }
    PersistentVolume pv;
    try {
      pv = csi.provision(pvc, sc);
    } catch (RuntimeException e) {
      events.warning(
          pvc,
          "ProvisioningFailed",
          "failed to provision volume with StorageClass \"" + className + "\": " + e.getMessage());
      throw e;
    }
    try {
      PersistentVolume created = client.persistentVolumes().resource(pv).create();
      events.normal(
          pvc,
          "ProvisioningSucceeded",
          "Successfully provisioned volume " + pv.getMetadata().getName());
      return created;
    } catch (KubernetesClientException e) {
      if (e.getCode() == HttpURLConnection.HTTP_CONFLICT) {
        return client.persistentVolumes().withName(pv.getMetadata().getName()).get();
      }
      throw e;
    }
  }

  /**
   * The claim's class; with none named, the default class (there is no admission plugin in the lab
   * to write it into the claim). An empty name asks for no class: static binding only.
   */
  private StorageClass storageClass(PersistentVolumeClaim pvc) {
    String name = pvc.getSpec().getStorageClassName();
    if (name == null) {
      return client.storage().v1().storageClasses().list().getItems().stream()
          .filter(
              c ->
                  c.getMetadata().getAnnotations() != null
                      && "true"
                          .equals(
                              c.getMetadata()
                                  .getAnnotations()
                                  .get("storageclass.kubernetes.io/is-default-class")))
          .findFirst()
          .orElse(null);
    }
    return name.isEmpty() ? null : client.storage().v1().storageClasses().withName(name).get();
  }

  private void annotateProvisioner(PersistentVolumeClaim pvc) {
    var annotations = pvc.getMetadata().getAnnotations();
    if (annotations == null
        || !csi.driverName().equals(annotations.get(Claims.ANN_STORAGE_PROVISIONER))) {
      client
          .persistentVolumeClaims()
          .inNamespace(pvc.getMetadata().getNamespace())
          .withName(pvc.getMetadata().getName())
          .edit(
              c ->
                  new PersistentVolumeClaimBuilder(c)
                      .editMetadata()
                      .addToAnnotations(Claims.ANN_STORAGE_PROVISIONER, csi.driverName())
                      .addToAnnotations(Claims.ANN_BETA_STORAGE_PROVISIONER, csi.driverName())
                      .endMetadata()
                      .build());
    }
  }

  /** Drops pvc-protection once no unfinished pod mounts the claim; the claim then goes away. */
  private void releaseProtection(PersistentVolumeClaim pvc) {
    var finalizers = pvc.getMetadata().getFinalizers();
    if (finalizers == null || !finalizers.contains(Claims.PROTECTION_FINALIZER)) {
      return;
    }
    boolean inUse =
        client.pods().inNamespace(pvc.getMetadata().getNamespace()).list().getItems().stream()
            .anyMatch(pod -> Claims.uses(pod, pvc));
    if (inUse) {
      return; // the pod's end brings us back
    }
    client
        .persistentVolumeClaims()
        .inNamespace(pvc.getMetadata().getNamespace())
        .withName(pvc.getMetadata().getName())
        .edit(
            c ->
                new PersistentVolumeClaimBuilder(c)
                    .editMetadata()
                    .removeFromFinalizers(Claims.PROTECTION_FINALIZER)
                    .endMetadata()
                    .build());
  }
}
