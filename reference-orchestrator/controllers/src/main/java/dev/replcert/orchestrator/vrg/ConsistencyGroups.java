package dev.replcert.orchestrator.vrg;

import dev.replcert.api.k8s.Ramen;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.openshift.ramendr.v1alpha1.VolumeReplicationGroup;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

/**
 * Ramen's consistency groups (vrg_volgrouprep.go): a VRG annotated {@value
 * VrgNames#CG_ENABLED_ANNOTATION}=true labels each selected claim {@value VrgNames#CG_LABEL} with
 * the storage id of its StorageClass, and the claims sharing a label value are replicated by one
 * VolumeGroupReplication named after the group class's replication id and the VRG. Ramen prefixes
 * the label value with "rbd-" or "cephfs-" (a Ceph workaround); here it is the storage id alone.
 */
final class ConsistencyGroups {

  /** Kubernetes' limit on a resource name (Ramen trims VGR names to it). */
  private static final int MAX_NAME = 63;

  private ConsistencyGroups() {}

  static boolean enabled(VolumeReplicationGroup vrg) {
    Map<String, String> annotations = vrg.getMetadata().getAnnotations();
    return vrg.getSpec().getAsync() != null
        && annotations != null
        && "true".equals(annotations.get(VrgNames.CG_ENABLED_ANNOTATION));
  }

  /** The claim's group: its StorageClass's storage id, or null when the class carries none. */
  static String groupOf(StorageClass sc) {
    return label(sc, Ramen.STORAGE_ID_LABEL);
  }

  /** Labels the claim with its group (the VGR's selector finds it by that label). */
  static boolean label(KubernetesClient client, PersistentVolumeClaim pvc, String group) {
    if (group.equals(label(pvc, VrgNames.CG_LABEL))) {
      return false;
    }
    PvcProtection.editPvc(
        client,
        pvc,
        p -> {
          Map<String, String> labels =
              new java.util.HashMap<>(
                  p.getMetadata().getLabels() == null ? Map.of() : p.getMetadata().getLabels());
          labels.put(VrgNames.CG_LABEL, group);
          p.getMetadata().setLabels(labels);
          return p;
        });
    return true;
  }

  /**
   * The VGR's name: the group class's replication id and the VRG's name (Ramen's {@code
   * getVGRUsingSCLabel}), cut to a valid name with a hash of the whole when too long.
   */
  static String vgrName(String replicationId, VolumeReplicationGroup vrg) {
    String name = replicationId + vrg.getMetadata().getName();
    if (name.length() <= MAX_NAME) {
      return name;
    }
    String hash = sha256(name).substring(0, 10);
    return name.substring(0, MAX_NAME - hash.length() - 1) + "-" + hash;
  }

  static String label(HasMetadata object, String key) {
    Map<String, String> labels = object == null ? null : object.getMetadata().getLabels();
    return labels == null ? null : labels.get(key);
  }

  private static String sha256(String s) {
    try {
      return HexFormat.of()
          .formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
