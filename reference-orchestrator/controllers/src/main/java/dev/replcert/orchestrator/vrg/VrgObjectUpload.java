package dev.replcert.orchestrator.vrg;

import dev.replcert.orchestrator.s3.ObjectStores;
import dev.replcert.orchestrator.s3.S3Errors;
import dev.replcert.orchestrator.s3.S3Keys;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.openshift.ramendr.v1alpha1.VolumeReplicationGroup;
import io.openshift.ramendr.v1alpha1.VolumeReplicationGroupStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Uploads a primary VRG's own object to every S3 profile under {@code
 * <ns>/<vrg>/v1alpha1.VolumeReplicationGroup/a} (Ramen's {@code vrgObjectProtect}), with the
 * status the reconcile is about to write. Ramen uploads on every resourceVersion change; here an
 * upload happens when the object changes meaningfully: its fingerprint leaves out the
 * resourceVersion, managedFields and the timestamps and counters that move with every sync, so a
 * steady VRG costs no S3 write per sync interval. What each profile last received is remembered
 * per reconciler (a restart uploads once more); a failed profile is retried on the next pass while
 * the others keep theirs.
 */
final class VrgObjectUpload {

  private final ObjectStores stores;
  private final KubernetesSerialization json = new KubernetesSerialization();

  /** Per VRG, per profile: the fingerprint of what that profile holds. */
  private final Map<ResourceID, Map<String, String>> uploaded = new ConcurrentHashMap<>();

  VrgObjectUpload(ObjectStores stores) {
    this.stores = stores;
  }

  /** Uploads where needed; returns null when every profile holds the object, else what failed. */
  String upload(VolumeReplicationGroup vrg, VolumeReplicationGroupStatus status) {
    VolumeReplicationGroup object = json.clone(vrg);
    object.setStatus(json.clone(status));
    String fingerprint = fingerprint(object);
    Map<String, String> held =
        uploaded.computeIfAbsent(ResourceID.fromResource(vrg), id -> new ConcurrentHashMap<>());
    String key = S3Keys.vrg(vrg.getMetadata().getNamespace(), vrg.getMetadata().getName());
    List<String> failures = new ArrayList<>();
    for (String profile : vrg.getSpec().getS3Profiles()) {
      if (fingerprint.equals(held.get(profile))) {
        continue;
      }
      try {
        stores.open(profile).put(key, object);
        held.put(profile, fingerprint);
      } catch (RuntimeException e) {
        held.remove(profile);
        failures.add(
            "failed to upload the VRG object to S3 profile "
                + profile
                + ": "
                + S3Errors.describe(e));
      }
    }
    return failures.isEmpty() ? null : String.join("; ", failures);
  }

  /**
   * Forgets what was uploaded for the VRG: it is secondary or gone, and its peer may overwrite the
   * object meanwhile, so a later promotion uploads afresh.
   */
  void forget(VolumeReplicationGroup vrg) {
    uploaded.remove(ResourceID.fromResource(vrg));
  }

  private String fingerprint(VolumeReplicationGroup object) {
    VolumeReplicationGroup copy = json.clone(object);
    copy.getMetadata().setResourceVersion(null);
    copy.getMetadata().setManagedFields(null);
    VolumeReplicationGroupStatus s = copy.getStatus();
    s.setLastUpdateTime(null);
    s.setLastGroupSyncTime(null);
    s.setLastGroupSyncDuration(null);
    s.setLastGroupSyncBytes(null);
    if (s.getProtectedPVCs() != null) {
      s.getProtectedPVCs()
          .forEach(
              p -> {
                p.setLastSyncTime(null);
                p.setLastSyncDuration(null);
                p.setLastSyncBytes(null);
              });
    }
    return json.asJson(copy);
  }
}
