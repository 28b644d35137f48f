package dev.replcert.orchestrator.vrg;

import dev.replcert.orchestrator.s3.ObjectStore;
import dev.replcert.orchestrator.s3.ObjectStores;
import dev.replcert.orchestrator.s3.S3Errors;
import dev.replcert.orchestrator.s3.S3Keys;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.openshift.ramendr.v1alpha1.VolumeReplicationGroup;
import io.openshift.storage.replication.v1alpha1.VolumeGroupReplication;
import io.openshift.storage.replication.v1alpha1.VolumeGroupReplicationContent;
import java.util.ArrayList;
import java.util.List;

/**
 * A consistency group's cluster data in S3 (Ramen's {@code UploadVGRandVGRCtoS3Stores} and {@code
 * restoreVGRsAndVGRCsFromS3}): the VolumeGroupReplication under {@code
 * <ns>/<vrg>/v1alpha1.VolumeGroupReplication/<ns>/<name>} and its content under {@code
 * .../v1alpha1.VolumeGroupReplicationContent/<name>}. The content carries the storage's group
 * handle and member handles, so the cluster that takes over finds the same group: it is restored as
 * it was, cleaned only of what binds it to the old cluster (resourceVersion, uid, status, the VGR's
 * uid in its reference). Uploaded once both profiles have it per generation of the pair (the
 * vr-archived annotation on the VGR, as on a claim), after the group's replication is ready so the
 * content has its handle.
 */
final class GroupMetadata {

  private final KubernetesClient client;
  private final ObjectStores stores;

  GroupMetadata(KubernetesClient client, ObjectStores stores) {
    this.client = client;
    this.stores = stores;
  }

  /** Uploads where needed; null when every profile holds the pair, else what failed. */
  String upload(VolumeReplicationGroup vrg, VolumeGroupReplication vgr) {
    String contentName = vgr.getSpec().getVolumeGroupReplicationContentName();
    VolumeGroupReplicationContent content =
        contentName == null
            ? null
            : client.resources(VolumeGroupReplicationContent.class).withName(contentName).get();
    if (content == null || content.getSpec().getVolumeGroupReplicationHandle() == null) {
      return "VolumeGroupReplicationContent of " + vgr.getMetadata().getName() + " has no group handle yet";
    }
    String archived = archiveValue(vrg, vgr, content);
    if (archived.equals(PvcProtection.annotation(vgr, VrgNames.VGR_ARCHIVED_ANNOTATION))) {
      return null;
    }
    String ns = vrg.getMetadata().getNamespace();
    String name = vrg.getMetadata().getName();
    List<String> failures = new ArrayList<>();
    for (String profile : vrg.getSpec().getS3Profiles()) {
      try {
        ObjectStore store = stores.open(profile);
        store.put(S3Keys.vgrContent(ns, name, content.getMetadata().getName()), content);
        store.put(
            S3Keys.vgr(ns, name, vgr.getMetadata().getNamespace(), vgr.getMetadata().getName()), vgr);
      } catch (RuntimeException e) {
        failures.add(
            "failed to upload VolumeGroupReplication "
                + vgr.getMetadata().getName()
                + " and its content to S3 profile "
                + profile
                + ": "
                + S3Errors.describe(e));
      }
    }
    if (!failures.isEmpty()) {
      return String.join("; ", failures);
    }
    client
        .resources(VolumeGroupReplication.class)
        .inNamespace(vgr.getMetadata().getNamespace())
        .withName(vgr.getMetadata().getName())
        .edit(
            v -> {
              PvcProtection.annotations(v).put(VrgNames.VGR_ARCHIVED_ANNOTATION, archived);
              return v;
            });
    return null;
  }

  /** Changes with the VGR's spec, the content's spec (members, handle) and the profile list. */
  private static String archiveValue(
      VolumeReplicationGroup vrg, VolumeGroupReplication vgr, VolumeGroupReplicationContent content) {
    List<String> profiles = new ArrayList<>(vrg.getSpec().getS3Profiles());
    profiles.sort(null);
    return "archiveV1-"
        + vgr.getMetadata().getGeneration()
        + "-"
        + content.getMetadata().getGeneration()
        + "-"
        + Integer.toHexString(profiles.hashCode());
  }

  /** How many objects were created; {@code failure} when no profile could be read. */
  record Result(int created, String failure) {}

  /**
   * Restores every content, then every VGR, from the first profile that answers with as many of
   * each; existing objects are kept.
   */
  Result restore(VolumeReplicationGroup vrg) {
    String ns = vrg.getMetadata().getNamespace();
    String name = vrg.getMetadata().getName();
    List<String> failures = new ArrayList<>();
    for (String profile : vrg.getSpec().getS3Profiles()) {
      List<VolumeGroupReplicationContent> contents;
      List<VolumeGroupReplication> vgrs;
      try {
        ObjectStore store = stores.open(profile);
        contents =
            store.keys(S3Keys.vgrContentPrefix(ns, name)).stream()
                .map(k -> store.get(k, VolumeGroupReplicationContent.class))
                .toList();
        vgrs =
            store.keys(S3Keys.vgrPrefix(ns, name)).stream()
                .map(k -> store.get(k, VolumeGroupReplication.class))
                .toList();
      } catch (RuntimeException e) {
        failures.add("S3 profile " + profile + ": " + S3Errors.describe(e));
        continue;
      }
      if (contents.size() != vgrs.size()) {
        failures.add(
            "S3 profile "
                + profile
                + " holds "
                + contents.size()
                + " VolumeGroupReplicationContents but "
                + vgrs.size()
                + " VolumeGroupReplications");
        continue;
      }
      int created = 0;
      for (VolumeGroupReplicationContent stored : contents) {
        created += restoreContent(stored) ? 1 : 0;
      }
      for (VolumeGroupReplication stored : vgrs) {
        created += restoreVgr(vrg, stored) ? 1 : 0;
      }
      return new Result(created, null);
    }
    return failures.isEmpty()
        ? new Result(0, null)
        : new Result(0, "failed to restore VolumeGroupReplications: " + String.join("; ", failures));
  }

  private boolean restoreContent(VolumeGroupReplicationContent stored) {
    var resource =
        client.resources(VolumeGroupReplicationContent.class).withName(stored.getMetadata().getName());
    if (resource.get() != null) {
      return false;
    }
    VolumeGroupReplicationContent content = fresh(stored);
    if (content.getSpec().getVolumeGroupReplicationRef() != null) {
      content.getSpec().getVolumeGroupReplicationRef().setUid(null);
      content.getSpec().getVolumeGroupReplicationRef().setResourceVersion(null);
    }
    content.setStatus(null);
    client.resource(content).create();
    return true;
  }

  private boolean restoreVgr(VolumeReplicationGroup vrg, VolumeGroupReplication stored) {
    var resource =
        client
            .resources(VolumeGroupReplication.class)
            .inNamespace(stored.getMetadata().getNamespace())
            .withName(stored.getMetadata().getName());
    if (resource.get() != null) {
      return false;
    }
    VolumeGroupReplication vgr = fresh(stored);
    vgr.getMetadata().setOwnerReferences(List.of(GroupReplications.controller(vrg)));
    vgr.setStatus(null);
    client.resource(vgr).create();
    return true;
  }

  /** As a restored PV or PVC ({@link MetadataRestore#fresh}), also without finalizers or archive mark. */
  private <T extends HasMetadata> T fresh(T stored) {
    T copy = MetadataRestore.fresh(client, stored);
    copy.getMetadata().setDeletionTimestamp(null);
    copy.getMetadata().setGeneration(null);
    copy.getMetadata().setFinalizers(null);
    PvcProtection.annotations(copy).remove(VrgNames.VGR_ARCHIVED_ANNOTATION);
    return copy;
  }
}
