package dev.replcert.orchestrator.vrg;

import dev.replcert.api.k8s.Ramen.VrgState;
import dev.replcert.orchestrator.s3.ObjectStores;
import dev.replcert.orchestrator.s3.S3Errors;
import dev.replcert.orchestrator.s3.S3Keys;
import io.openshift.ramendr.v1alpha1.VolumeReplicationGroup;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The stale-primary guard, an addition Ramen lacks (RamenDR/ramen#250): before a VRG asked to be
 * primary without action Failover restores or promotes anything, it reads the VRG object from each
 * of its S3 profiles. If the newest copy written by another VRG (another uid: the peer cluster's,
 * or an earlier incarnation) says that VRG is Primary, this one is stale: the peer was failed over
 * to, or has not yet reported Secondary in a relocate, and promoting here would make a second
 * primary (csi-addons force-promotes after FAILED_PRECONDITION). A Failover is the user's forced
 * choice and is never held; an empty bucket (initial deploy) or another VRG's Secondary copy (a
 * relocate's demoted source, see {@link VrgObjectUpload}) lets the promotion go ahead. A profile
 * that cannot be read proves nothing: only a copy that was read can hold the VRG back.
 */
final class PrimaryElsewhere {

  private static final Logger LOG = LoggerFactory.getLogger(PrimaryElsewhere.class);

  /** Reads of one profile before it counts as unreadable (an outage, not a transient error). */
  private static final int READ_ATTEMPTS = 3;

  private final ObjectStores stores;

  PrimaryElsewhere(ObjectStores stores) {
    this.stores = stores;
  }

  /** A copy of another VRG's object as read from one profile. */
  private record Copy(String profile, VolumeReplicationGroup vrg, Instant uploadedAt) {

    boolean primary() {
      return vrg.getStatus() != null && VrgState.PRIMARY.wire().equals(vrg.getStatus().getState());
    }

    String describe() {
      return "S3 profile "
          + profile
          + " holds the VolumeReplicationGroup object of another VRG (uid "
          + vrg.getMetadata().getUid()
          + (uploadedAt.equals(Instant.MIN) ? "" : ", uploaded " + uploadedAt)
          + ") that reports state "
          + vrg.getStatus().getState()
          + " (spec.replicationState "
          + (vrg.getSpec().getReplicationState() == null
              ? null
              : vrg.getSpec().getReplicationState().getValue())
          + ")";
    }
  }

  /** Null when {@code vrg} may act as primary, else why not (for its conditions). */
  String conflict(VolumeReplicationGroup vrg) {
    String key = S3Keys.vrg(vrg.getMetadata().getNamespace(), vrg.getMetadata().getName());
    Map<String, Copy> newestByUid = new HashMap<>();
    List<String> read = new ArrayList<>();
    for (String profile : vrg.getSpec().getS3Profiles()) {
      VolumeReplicationGroup stored;
      try {
        stored = read(profile, key);
      } catch (RuntimeException e) {
        read.add(profile + ": not readable (" + S3Errors.describe(e) + ")");
        continue;
      }
      read.add(profile + ": " + (stored == null ? "none" : "uid " + stored.getMetadata().getUid() + " state "
          + (stored.getStatus() == null ? null : stored.getStatus().getState())));
      if (stored == null
          || Objects.equals(stored.getMetadata().getUid(), vrg.getMetadata().getUid())) {
        continue;
      }
      Copy copy = new Copy(profile, stored, uploadedAt(stored));
      newestByUid.merge(
          String.valueOf(stored.getMetadata().getUid()),
          copy,
          (a, b) -> Comparator.comparing(Copy::uploadedAt).compare(a, b) >= 0 ? a : b);
    }
    String conflict =
        newestByUid.values().stream()
            .filter(Copy::primary)
            .findFirst()
            .map(
                c ->
                    "not promoting: "
                        + c.describe()
                        + "; a primary without action Failover waits until that VRG reports"
                        + " Secondary")
            .orElse(null);
    if (conflict == null) {
      // what let it act: the evidence when a promotion turns out to have been unsafe
      LOG.info(
          "VRG {}/{} (uid {}) may act as primary; its S3 objects: {}",
          vrg.getMetadata().getNamespace(),
          vrg.getMetadata().getName(),
          vrg.getMetadata().getUid(),
          read);
    }
    return conflict;
  }

  /**
   * The profile's copy, read again after a failure: the SDK does not retry, and a transient error
   * (seen: "Error writing request body" from a healthy store) must not pass for an outage, which
   * would let a stale VRG promote beside the peer's primary.
   */
  private VolumeReplicationGroup read(String profile, String key) {
    RuntimeException failure = null;
    for (int attempt = 0; attempt < READ_ATTEMPTS; attempt++) {
      try {
        return stores.open(profile).find(key, VolumeReplicationGroup.class);
      } catch (RuntimeException e) {
        if (failure != null) {
          e.addSuppressed(failure);
        }
        failure = e;
      }
    }
    throw failure;
  }

  /** When the writer uploaded it; a copy without the annotation (not ours) counts as oldest. */
  private static Instant uploadedAt(VolumeReplicationGroup stored) {
    String at = PvcProtection.annotation(stored, VrgNames.UPLOADED_AT_ANNOTATION);
    try {
      return at == null ? Instant.MIN : Instant.parse(at);
    } catch (java.time.format.DateTimeParseException e) {
      return Instant.MIN;
    }
  }
}
