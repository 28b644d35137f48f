package dev.replcert.orchestrator.vrg;

import dev.replcert.orchestrator.k8s.LabelSelectors;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import io.openshift.ramendr.v1alpha1.VolumeReplicationGroup;
import io.openshift.storage.replication.v1alpha1.VolumeReplicationClass;
import java.util.List;
import java.util.Map;

/**
 * Picks the VolumeReplicationClass of a PVC as Ramen's {@code selectVolumeReplicationClass} does:
 * labels match the VRG's {@code async.replicationClassSelector}, provisioner equals the
 * StorageClass's, parameter {@code schedulingInterval} equals the VRG's; several left => the one
 * annotated default, else none.
 */
final class ReplicationClasses {

  /** The class, or why there is none (a condition message). */
  record Choice(VolumeReplicationClass vrc, String problem) {}

  private ReplicationClasses() {}

  static Choice choose(
      VolumeReplicationGroup vrg, StorageClass sc, List<VolumeReplicationClass> classes) {
    var async = vrg.getSpec().getAsync();
    LabelSelector selector =
        async.getReplicationClassSelector() == null
            ? new LabelSelector()
            : async.getReplicationClassSelector();
    List<VolumeReplicationClass> matching =
        classes.stream()
            .filter(c -> LabelSelectors.matches(selector, c.getMetadata().getLabels()))
            .filter(
                c ->
                    c.getSpec() != null && sc.getProvisioner().equals(c.getSpec().getProvisioner()))
            .filter(
                c ->
                    async
                        .getSchedulingInterval()
                        .equals(parameter(c, VrgNames.SCHEDULING_INTERVAL_PARAMETER)))
            .toList();
    if (matching.size() == 1) {
      return new Choice(matching.get(0), null);
    }
    if (matching.isEmpty()) {
      return new Choice(
          null,
          "failed to find the appropriate VolumeReplicationClass (provisioner "
              + sc.getProvisioner()
              + ", schedulingInterval "
              + async.getSchedulingInterval()
              + ")");
    }
    List<VolumeReplicationClass> defaults =
        matching.stream()
            .filter(c -> "true".equals(annotation(c, VrgNames.DEFAULT_VRC_ANNOTATION)))
            .toList();
    return defaults.size() == 1
        ? new Choice(defaults.get(0), null)
        : new Choice(
            null,
            "multiple VolumeReplicationClasses match and "
                + defaults.size()
                + " of them are annotated "
                + VrgNames.DEFAULT_VRC_ANNOTATION
                + "=true (exactly one must be)");
  }

  private static String parameter(VolumeReplicationClass c, String key) {
    Map<String, String> parameters = c.getSpec().getParameters();
    return parameters == null ? null : parameters.get(key);
  }

  private static String annotation(VolumeReplicationClass c, String key) {
    Map<String, String> annotations = c.getMetadata().getAnnotations();
    return annotations == null ? null : annotations.get(key);
  }
}
