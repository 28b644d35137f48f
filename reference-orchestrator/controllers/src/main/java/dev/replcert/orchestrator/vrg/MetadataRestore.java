package dev.replcert.orchestrator.vrg;

import dev.replcert.orchestrator.s3.S3Errors;
import dev.replcert.orchestrator.s3.ObjectStore;
import dev.replcert.orchestrator.s3.ObjectStores;
import dev.replcert.orchestrator.s3.S3Keys;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.openshift.ramendr.v1alpha1.VolumeReplicationGroup;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Ramen's PV/PVC restore (vrg_volrep.go {@code restorePVsAndPVCsFromS3}): profiles are tried in
 * order and the first that yields every PV with as many PVCs wins, so a downed S3 never blocks a
 * failover while another profile answers. Restored objects are cleaned of what binds them to the
 * old cluster (resourceVersion, uid, claimRef uid/resourceVersion, finalizers, owners) and
 * annotated ramen-restore. An existing PV must be the same volume bound to the same claim, else the
 * restore stops with a conflict: two primaries would otherwise write one claim's data.
 */
final class MetadataRestore {

  /** How many objects were created; {@code failure} is set when no profile could be used. */
  record Result(int created, String failure) {}

  private static final class Conflict extends RuntimeException {
    Conflict(String message) {
      super(message);
    }
  }

  private final KubernetesClient client;
  private final ObjectStores stores;

  MetadataRestore(KubernetesClient client, ObjectStores stores) {
    this.client = client;
    this.stores = stores;
  }

  Result restore(VolumeReplicationGroup vrg) {
    String ns = vrg.getMetadata().getNamespace();
    String name = vrg.getMetadata().getName();
    List<String> failures = new ArrayList<>();
    for (String profile : vrg.getSpec().getS3Profiles()) {
      List<PersistentVolume> pvs;
      List<PersistentVolumeClaim> pvcs;
      try {
        ObjectStore store = stores.open(profile);
        pvs =
            store.keys(S3Keys.pvPrefix(ns, name)).stream()
                .map(k -> store.get(k, PersistentVolume.class))
                .toList();
        pvcs =
            store.keys(S3Keys.pvcPrefix(ns, name)).stream()
                .map(k -> store.get(k, PersistentVolumeClaim.class))
                .toList();
      } catch (RuntimeException e) {
        failures.add("S3 profile " + profile + ": " + S3Errors.describe(e));
        continue;
      }
      if (pvs.size() != pvcs.size()) {
        failures.add(
            "S3 profile " + profile + " holds " + pvs.size() + " PVs but " + pvcs.size() + " PVCs");
        continue;
      }
      try {
        checkClaims(pvs);
        int created = 0;
        for (PersistentVolume pv : pvs) {
          created += restorePv(pv) ? 1 : 0;
        }
        for (PersistentVolumeClaim pvc : pvcs) {
          created += restorePvc(pvc) ? 1 : 0;
        }
        return new Result(created, null);
      } catch (Conflict e) {
        return new Result(0, e.getMessage());
      }
    }
    return failures.isEmpty()
        ? new Result(0, null)
        : new Result(0, "failed to restore PVs and PVCs: " + String.join("; ", failures));
  }

  /** Two PVs claiming one PVC: both sites wrote it as primary (split brain). */
  private static void checkClaims(List<PersistentVolume> pvs) {
    Map<String, String> byClaim = new HashMap<>();
    for (PersistentVolume pv : pvs) {
      ObjectReference ref = pv.getSpec().getClaimRef();
      if (ref == null) {
        continue;
      }
      String claim = ref.getNamespace() + "/" + ref.getName();
      String other = byClaim.put(claim, pv.getMetadata().getName());
      if (other != null) {
        throw new Conflict(
            "PVs "
                + other
                + " and "
                + pv.getMetadata().getName()
                + " in S3 both claim PVC "
                + claim);
      }
    }
  }

  private boolean restorePv(PersistentVolume stored) {
    PersistentVolume existing =
        client.persistentVolumes().withName(stored.getMetadata().getName()).get();
    if (existing != null) {
      checkExisting(existing, stored);
      return false;
    }
    PersistentVolume pv = fresh(client, stored);
    if (pv.getSpec().getClaimRef() != null) {
      pv.getSpec().getClaimRef().setUid(null);
      pv.getSpec().getClaimRef().setResourceVersion(null);
    }
    String handle = PvcProtection.annotation(pv, VrgNames.DESTINATION_VOLUME_HANDLE_ANNOTATION);
    if (handle != null && pv.getSpec().getCsi() != null) {
      pv.getSpec().getCsi().setVolumeHandle(handle);
    }
    pv.setStatus(null);
    client.resource(pv).create();
    return true;
  }

  /** Ramen accepts an existing PV only if it is the same volume for the same claim. */
  private static void checkExisting(PersistentVolume existing, PersistentVolume stored) {
    String pv = existing.getMetadata().getName();
    boolean bound =
        existing.getSpec().getClaimRef() != null
            && existing.getSpec().getClaimRef().getUid() != null;
    if (!bound) {
      if (!VrgNames.RESTORE_VALUE.equals(
          PvcProtection.annotation(existing, VrgNames.RESTORE_ANNOTATION))) {
        throw new Conflict("existing PV " + pv + " is not bound and was not restored by Ramen");
      }
      return;
    }
    List<String> differences = new ArrayList<>();
    ObjectReference have = existing.getSpec().getClaimRef();
    ObjectReference want = stored.getSpec().getClaimRef();
    if (want == null
        || !Objects.equals(have.getNamespace(), want.getNamespace())
        || !Objects.equals(have.getName(), want.getName())) {
      differences.add("claimRef " + have.getNamespace() + "/" + have.getName());
    }
    var haveCsi = existing.getSpec().getCsi();
    var wantCsi = stored.getSpec().getCsi();
    if ((haveCsi == null) != (wantCsi == null)
        || haveCsi != null
            && (!Objects.equals(haveCsi.getDriver(), wantCsi.getDriver())
                || !Objects.equals(haveCsi.getFsType(), wantCsi.getFsType()))) {
      differences.add("CSI driver/fsType");
    }
    if (!Objects.equals(existing.getSpec().getAccessModes(), stored.getSpec().getAccessModes())) {
      differences.add("accessModes");
    }
    if (!Objects.equals(existing.getSpec().getVolumeMode(), stored.getSpec().getVolumeMode())) {
      differences.add("volumeMode");
    }
    if (!differences.isEmpty()) {
      throw new Conflict(
          "existing PV "
              + pv
              + " is bound elsewhere: "
              + String.join(", ", differences)
              + " differ from S3");
    }
  }

  private boolean restorePvc(PersistentVolumeClaim stored) {
    String ns = stored.getMetadata().getNamespace();
    if (client
            .persistentVolumeClaims()
            .inNamespace(ns)
            .withName(stored.getMetadata().getName())
            .get()
        != null) {
      return false;
    }
    PersistentVolumeClaim pvc = fresh(client, stored);
    pvc.getMetadata().setFinalizers(null);
    pvc.getMetadata().setOwnerReferences(null);
    pvc.getMetadata().setDeletionTimestamp(null);
    PvcProtection.annotations(pvc).remove(VrgNames.PVC_ARCHIVED_ANNOTATION);
    PvcProtection.annotations(pvc).remove(VrgNames.PVC_PROTECTED_ANNOTATION);
    pvc.setStatus(null);
    client.resource(pvc).create();
    return true;
  }

  /** A copy without what the old cluster gave it, marked as restored by Ramen. */
  static <T extends HasMetadata> T fresh(KubernetesClient client, T stored) {
    T copy = client.getKubernetesSerialization().clone(stored);
    copy.getMetadata().setResourceVersion(null);
    copy.getMetadata().setUid(null);
    copy.getMetadata().setCreationTimestamp(null);
    copy.getMetadata().setManagedFields(null);
    PvcProtection.annotations(copy).put(VrgNames.RESTORE_ANNOTATION, VrgNames.RESTORE_VALUE);
    return copy;
  }
}
