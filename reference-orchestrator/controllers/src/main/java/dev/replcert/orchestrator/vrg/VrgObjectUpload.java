package dev.replcert.orchestrator.vrg;

import dev.replcert.api.k8s.Ramen.VrgState;
import dev.replcert.orchestrator.s3.ObjectStore;
import dev.replcert.orchestrator.s3.ObjectStores;
import dev.replcert.orchestrator.s3.S3Errors;
import dev.replcert.orchestrator.s3.S3Keys;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.openshift.ramendr.v1alpha1.VolumeReplicationGroup;
import io.openshift.ramendr.v1alpha1.VolumeReplicationGroupSpec;
import io.openshift.ramendr.v1alpha1.VolumeReplicationGroupSpec.ReplicationState;
import io.openshift.ramendr.v1alpha1.VolumeReplicationGroupStatus;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Uploads a VRG's own object to every S3 profile under {@code
 * <ns>/<vrg>/v1alpha1.VolumeReplicationGroup/a} (Ramen's {@code vrgObjectProtect}), with the
 * status the reconcile is about to write. Ramen uploads on every resourceVersion change; here an
 * upload happens when the object changes meaningfully: its fingerprint leaves out the
 * resourceVersion, managedFields and the timestamps and counters that move with every sync, so a
 * steady VRG costs no S3 write per sync interval. What each profile last received is remembered
 * per reconciler (a restart uploads once more); a failed profile is retried on the next pass while
 * the others keep theirs. Each upload carries {@link VrgNames#UPLOADED_AT_ANNOTATION} (the
 * writer's clock), so {@link PrimaryElsewhere} can tell a VRG's newest copy.
 *
 * <p>A secondary (Ramen uploads only as primary) replaces its own object, never another VRG's: a
 * demoted primary's object must say Secondary before the relocate target promotes, while the new
 * primary's object must never be overwritten by its peer, nor by a stale primary: a cluster back
 * from a disaster reconciles its old primary VRG before the hub's demotion reaches it, and its
 * upload would hide the failover target's Primary object from the stale-primary guard.
 */
final class VrgObjectUpload {

  private final ObjectStores stores;
  private final Clock clock;
  private final KubernetesSerialization json = new KubernetesSerialization();

  /** Per VRG, per profile: the fingerprint of what that profile holds. */
  private final Map<ResourceID, Map<String, String>> uploaded = new ConcurrentHashMap<>();

  VrgObjectUpload(ObjectStores stores, Clock clock) {
    this.stores = stores;
    this.clock = clock;
  }

  /**
   * Uploads where needed; returns null when every profile holds the object (as a secondary: or
   * another VRG's), else what failed.
   */
  String upload(VolumeReplicationGroup vrg, VolumeReplicationGroupStatus status) {
    boolean primary = vrg.getSpec().getReplicationState() == ReplicationState.PRIMARY;
    VolumeReplicationGroup object = json.clone(vrg);
    object.setStatus(json.clone(status));
    String fingerprint = fingerprint(object);
    PvcProtection.annotations(object)
        .put(VrgNames.UPLOADED_AT_ANNOTATION, Instant.now(clock).toString());
    Map<String, String> held =
        uploaded.computeIfAbsent(ResourceID.fromResource(vrg), id -> new ConcurrentHashMap<>());
    String key = S3Keys.vrg(vrg.getMetadata().getNamespace(), vrg.getMetadata().getName());
    List<String> failures = new ArrayList<>();
    for (String profile : vrg.getSpec().getS3Profiles()) {
      if (fingerprint.equals(held.get(profile))) {
        continue;
      }
      try {
        ObjectStore store = stores.open(profile);
        if (mayReplace(vrg, primary, store.find(key, VolumeReplicationGroup.class))) {
          store.put(key, object);
        }
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
   * Whether this VRG's object may replace what the profile holds. A secondary replaces only its
   * own. A primary replaces its own or another VRG's, except another that says Primary when this
   * one is not the target of a Failover: that is a stale primary (a cluster back from a disaster
   * before the hub's demotion reaches it) and must not hide the new primary from {@link
   * PrimaryElsewhere}.
   */
  private static boolean mayReplace(
      VolumeReplicationGroup vrg, boolean primary, VolumeReplicationGroup stored) {
    if (isOwn(vrg, stored)) {
      return true;
    }
    if (!primary) {
      return false;
    }
    boolean otherPrimary =
        stored != null
            && stored.getStatus() != null
            && VrgState.PRIMARY.wire().equals(stored.getStatus().getState());
    return !otherPrimary
        || vrg.getSpec().getAction() == VolumeReplicationGroupSpec.Action.FAILOVER;
  }

  private static boolean isOwn(VolumeReplicationGroup vrg, VolumeReplicationGroup stored) {
    return stored != null
        && stored.getMetadata().getUid() != null
        && stored.getMetadata().getUid().equals(vrg.getMetadata().getUid());
  }

  /** Forgets what was uploaded for the VRG: it is gone (or its copies are, e.g. by deletion). */
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
