package dev.replcert.lab.substrate.provisioner;

import dev.replcert.api.csi.v1.CapacityRange;
import dev.replcert.api.csi.v1.CreateVolumeRequest;
import dev.replcert.api.csi.v1.DeleteVolumeRequest;
import dev.replcert.api.csi.v1.Volume;
import dev.replcert.lab.substrate.Capabilities;
import dev.replcert.lab.substrate.SiteDriver;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What external-provisioner does with the driver: CreateVolume for a claim (name {@code pvc-<uid>},
 * so a retry after a crash finds the same volume) and the PV describing it; DeleteVolume for a
 * released PV.
 */
final class CsiProvisioning {

  /** StorageClass parameters external-provisioner consumes itself instead of passing them on. */
  private static final String RESERVED_PREFIX = "csi.storage.k8s.io/";

  private static final String FS_TYPE = RESERVED_PREFIX + "fstype";

  private final SiteDriver driver;
  private final String driverName;

  CsiProvisioning(SiteDriver driver, String driverName) {
    this.driver = driver;
    this.driverName = driverName;
  }

  static String volumeName(PersistentVolumeClaim pvc) {
    return "pvc-" + pvc.getMetadata().getUid();
  }

  PersistentVolume provision(PersistentVolumeClaim pvc, StorageClass sc) {
    Map<String, String> all = sc.getParameters() == null ? Map.of() : sc.getParameters();
    Map<String, String> parameters = new LinkedHashMap<>();
    all.forEach(
        (k, v) -> {
          if (!k.startsWith(RESERVED_PREFIX)) {
            parameters.put(k, v);
          }
        });
    String mode = Claims.volumeMode(pvc);
    String fsType = Capabilities.isBlock(mode) ? null : all.getOrDefault(FS_TYPE, "ext4");
    CreateVolumeRequest.Builder request =
        CreateVolumeRequest.newBuilder()
            .setName(volumeName(pvc))
            .setCapacityRange(
                CapacityRange.newBuilder().setRequiredBytes(Claims.requestedBytes(pvc)))
            .putAllParameters(parameters);
    var accessModes = pvc.getSpec().getAccessModes();
    if (accessModes == null || accessModes.isEmpty()) {
      request.addVolumeCapabilities(Capabilities.of(mode, "ReadWriteOnce", fsType));
    } else {
      accessModes.forEach(m -> request.addVolumeCapabilities(Capabilities.of(mode, m, fsType)));
    }
    Volume volume = driver.controller().createVolume(request.build()).getVolume();
    return new PersistentVolumeBuilder()
        .withNewMetadata()
        .withName(volumeName(pvc))
        .addToAnnotations(Claims.ANN_PROVISIONED_BY, driverName)
        .endMetadata()
        .withNewSpec()
        .addToCapacity("storage", new Quantity(Long.toString(volume.getCapacityBytes())))
        .withAccessModes(
            accessModes == null || accessModes.isEmpty()
                ? java.util.List.of("ReadWriteOnce")
                : accessModes)
        .withVolumeMode(mode)
        .withStorageClassName(sc.getMetadata().getName())
        .withPersistentVolumeReclaimPolicy(
            sc.getReclaimPolicy() == null ? "Delete" : sc.getReclaimPolicy())
        .withMountOptions(sc.getMountOptions())
        .withNewClaimRef()
        .withApiVersion("v1")
        .withKind("PersistentVolumeClaim")
        .withNamespace(pvc.getMetadata().getNamespace())
        .withName(pvc.getMetadata().getName())
        .withUid(pvc.getMetadata().getUid())
        .withResourceVersion(pvc.getMetadata().getResourceVersion())
        .endClaimRef()
        .withNewCsi()
        .withDriver(driverName)
        .withVolumeHandle(volume.getVolumeId())
        .withFsType(fsType)
        .withVolumeAttributes(
            volume.getVolumeContextMap().isEmpty() ? null : volume.getVolumeContextMap())
        .endCsi()
        .endSpec()
        .withNewStatus()
        .withPhase("Bound")
        .endStatus()
        .build();
  }

  /** Whether this provisioner's driver owns the PV (and so may delete its volume). */
  boolean owns(PersistentVolume pv) {
    var annotations = pv.getMetadata().getAnnotations();
    boolean provisionedHere =
        annotations != null && driverName.equals(annotations.get(Claims.ANN_PROVISIONED_BY));
    boolean csiHere =
        pv.getSpec().getCsi() != null && driverName.equals(pv.getSpec().getCsi().getDriver());
    return provisionedHere && csiHere;
  }

  /** DeleteVolume; a volume already gone counts as deleted (CSI: DeleteVolume is idempotent). */
  void delete(PersistentVolume pv) {
    try {
      driver
          .controller()
          .deleteVolume(
              DeleteVolumeRequest.newBuilder()
                  .setVolumeId(pv.getSpec().getCsi().getVolumeHandle())
                  .build());
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() != Status.Code.NOT_FOUND) {
        throw e;
      }
    }
  }

  String driverName() {
    return driverName;
  }
}
