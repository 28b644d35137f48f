package dev.replcert.harness.kube;

import dev.replcert.harness.config.TimeoutOperation;
import dev.replcert.harness.config.VolumeSettings;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.Map;

/**
 * PersistentVolumeClaims of a test on one cluster: a new claim in the driver's StorageClass, and
 * the claim of an existing replica (a PV naming the volume handle, then a claim bound to it), as
 * ceph-csi's failover procedure recreates them on the peer cluster. Both wait until Bound.
 */
public final class Claims {

  /** external-provisioner deletes only volumes whose PV carries its name here. */
  static final String PROVISIONED_BY = "pv.kubernetes.io/provisioned-by";

  private final KubeResources cluster;
  private final DriverClasses classes;
  private final String namespace;
  private final VolumeSettings volume;
  private final String driver;
  private final Waits waits;

  public Claims(
      KubeResources cluster, DriverClasses classes, String namespace, VolumeSettings volume, String driver, Waits waits) {
    this.cluster = cluster;
    this.classes = classes;
    this.namespace = namespace;
    this.volume = volume;
    this.driver = driver;
    this.waits = waits;
  }

  /** A new claim in the driver's StorageClass, Bound (the driver created its volume). */
  public PersistentVolumeClaim mustCreate(String name) {
    return mustCreate(name, Map.of());
  }

  /** As {@link #mustCreate(String)}, with labels (a VolumeGroupReplication selects by them). */
  public PersistentVolumeClaim mustCreate(String name, Map<String, String> labels) {
    cluster.create(manifest(name, labels));
    return awaitBound(name);
  }

  /**
   * The claim {@link #mustCreate(String, Map)} creates, not created: for an application whose
   * manifests something else applies (a ManifestWork).
   */
  public PersistentVolumeClaim manifest(String name, Map<String, String> labels) {
    return claim(name)
        .editMetadata().addToLabels(labels).endMetadata()
        .editSpec().withStorageClassName(classes.storageClass()).endSpec()
        .build();
  }

  /** Sets ({@code value} non-null) or removes one label of the claim. */
  public void label(String name, String key, String value) {
    cluster.client().persistentVolumeClaims().inNamespace(namespace).withName(name).edit(pvc -> {
      if (value == null) {
        pvc.getMetadata().getLabels().remove(key);
      } else {
        pvc.getMetadata().getLabels().put(key, value);
      }
      return pvc;
    });
  }

  /**
   * The claim of an existing volume: a PV with the handle and no claimRef (as copied from the
   * other cluster, claimRef dropped), then a claim naming it. The PV is the driver's to delete
   * when released, so the replica goes with the test.
   */
  public PersistentVolumeClaim mustClaimExisting(String name, PersistentVolume original, String handle) {
    return mustClaimExisting(name, original, handle, Map.of());
  }

  /** As {@link #mustClaimExisting(String, PersistentVolume, String)}, the claim with labels. */
  public PersistentVolumeClaim mustClaimExisting(
      String name, PersistentVolume original, String handle, Map<String, String> labels) {
    PersistentVolume pv = new PersistentVolumeBuilder()
        .withNewMetadata()
        .withName(Names.unique(name))
        .addToAnnotations(PROVISIONED_BY, driver)
        .endMetadata()
        .withSpec(original.getSpec())
        .editSpec()
        .withClaimRef(null)
        .withPersistentVolumeReclaimPolicy("Delete")
        .withStorageClassName(classes.storageClass())
        .editCsi().withVolumeHandle(handle).endCsi()
        .endSpec()
        .build();
    String pvName = cluster.create(pv).getMetadata().getName();
    cluster.create(claim(name)
        .editMetadata().addToLabels(labels).endMetadata()
        .editSpec().withStorageClassName(classes.storageClass()).withVolumeName(pvName).endSpec()
        .build());
    return awaitBound(name);
  }

  public PersistentVolumeClaim get(String name) {
    return cluster.client().persistentVolumeClaims().inNamespace(namespace).withName(name).get();
  }

  /** The PV bound to the claim. */
  public PersistentVolume volume(String claim) {
    return cluster.client().persistentVolumes().withName(get(claim).getSpec().getVolumeName()).get();
  }

  /** The driver's id of the claim's volume (the PV's CSI volume handle). */
  public String handle(String claim) {
    return volume(claim).getSpec().getCsi().getVolumeHandle();
  }

  public PersistentVolumeClaim awaitBound(String name) {
    return waits.until(
        "PVC " + cluster.site() + "/" + namespace + "/" + name + " is Bound",
        TimeoutOperation.VOLUME_PROVISION,
        () -> new Seen(get(name)),
        seen -> seen.claim() != null && seen.claim().getStatus() != null
            && "Bound".equals(seen.claim().getStatus().getPhase()))
        .claim();
  }

  private PersistentVolumeClaimBuilder claim(String name) {
    return new PersistentVolumeClaimBuilder()
        .withNewMetadata().withName(name).withNamespace(namespace).endMetadata()
        .withNewSpec()
        .withAccessModes("ReadWriteOnce")
        .withVolumeMode(volume.mode().id())
        .withNewResources().addToRequests("storage", new Quantity(volume.size())).endResources()
        .endSpec();
  }

  /** A claim as a wait prints it. */
  private record Seen(PersistentVolumeClaim claim) {
    @Override
    public String toString() {
      return claim == null
          ? "no such PVC"
          : "phase " + (claim.getStatus() == null ? null : claim.getStatus().getPhase())
              + ", volumeName " + claim.getSpec().getVolumeName()
              + ", deletionTimestamp " + claim.getMetadata().getDeletionTimestamp();
    }
  }
}
