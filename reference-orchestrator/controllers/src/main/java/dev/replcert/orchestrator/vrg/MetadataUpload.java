package dev.replcert.orchestrator.vrg;

import dev.replcert.orchestrator.s3.ObjectStore;
import dev.replcert.orchestrator.s3.ObjectStores;
import dev.replcert.orchestrator.s3.S3Keys;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.openshift.ramendr.v1alpha1.VolumeReplicationGroup;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Uploads a protected PVC and its PV to every S3 profile of the VRG (Ramen's {@code
 * uploadPVandPVCtoS3Stores}). Each profile is tried on its own: one that fails never keeps the
 * others from getting the objects. Only when all have them does the PVC get the vr-archived
 * annotation, which skips the upload until the PV or the profile list changes.
 */
final class MetadataUpload {

  /** The outcome for one PVC: null when every profile has the objects, else what failed. */
  record Result(boolean skipped, String failure) {}

  private final KubernetesClient client;
  private final ObjectStores stores;

  /** Profiles that failed during this reconcile: not tried again for the next PVCs. */
  private final Map<String, String> failedThisPass = new HashMap<>();

  MetadataUpload(KubernetesClient client, ObjectStores stores) {
    this.client = client;
    this.stores = stores;
  }

  Result upload(VolumeReplicationGroup vrg, PersistentVolumeClaim pvc, PersistentVolume pv) {
    String archived = archiveValue(vrg, pv);
    if (archived.equals(PvcProtection.annotation(pvc, VrgNames.PVC_ARCHIVED_ANNOTATION))) {
      return new Result(true, null);
    }
    String ns = vrg.getMetadata().getNamespace();
    String name = vrg.getMetadata().getName();
    List<String> failures = new ArrayList<>();
    for (String profile : vrg.getSpec().getS3Profiles()) {
      String earlier = failedThisPass.get(profile);
      if (earlier != null) {
        failures.add(earlier);
        continue;
      }
      try {
        ObjectStore store = stores.open(profile);
        store.put(S3Keys.pv(ns, name, pv.getMetadata().getName()), pv);
        store.put(
            S3Keys.pvc(ns, name, pvc.getMetadata().getNamespace(), pvc.getMetadata().getName()),
            pvc);
      } catch (RuntimeException e) {
        String failure =
            "failed to upload PV/PVC metadata to S3 profile "
                + profile
                + ": "
                + S3Errors.describe(e);
        failedThisPass.put(profile, failure);
        failures.add(failure);
      }
    }
    if (!failures.isEmpty()) {
      return new Result(false, String.join("; ", failures));
    }
    PvcProtection.editPvc(
        client,
        pvc,
        p -> {
          PvcProtection.annotations(p).put(VrgNames.PVC_ARCHIVED_ANNOTATION, archived);
          return p;
        });
    return new Result(false, null);
  }

  /** Ramen's archiveV1 marker, made to change with the PV and with the set of profiles. */
  private static String archiveValue(VolumeReplicationGroup vrg, PersistentVolume pv) {
    List<String> profiles = new ArrayList<>(vrg.getSpec().getS3Profiles());
    profiles.sort(null);
    return "archiveV1-"
        + pv.getMetadata().getResourceVersion()
        + "-"
        + Integer.toHexString(profiles.hashCode());
  }
}
