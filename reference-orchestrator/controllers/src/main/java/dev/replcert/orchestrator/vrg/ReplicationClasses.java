package dev.replcert.orchestrator.vrg;

import dev.replcert.orchestrator.k8s.LabelSelectors;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import io.openshift.ramendr.v1alpha1.VolumeReplicationGroup;
import io.openshift.storage.replication.v1alpha1.VolumeGroupReplicationClass;
import io.openshift.storage.replication.v1alpha1.VolumeReplicationClass;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Picks the VolumeReplicationClass (or, for a consistency group, the VolumeGroupReplicationClass)
 * of a PVC as Ramen's {@code selectVolumeReplicationClass} does: labels match the VRG's {@code
 * async.replicationClassSelector}, provisioner equals the StorageClass's, parameter {@code
 * schedulingInterval} equals the VRG's; several left => the one annotated default, else none.
 */
final class ReplicationClasses {

  /** The class, or why there is none (a condition message). */
  record Choice(VolumeReplicationClass vrc, String problem) {}

  /** The group class, or why there is none. */
  record GroupChoice(VolumeGroupReplicationClass vgrc, String problem) {}

  private record Picked<T>(T picked, String problem) {}

  private ReplicationClasses() {}

  static Choice choose(
      VolumeReplicationGroup vrg, StorageClass sc, List<VolumeReplicationClass> classes) {
    Picked<VolumeReplicationClass> p =
        pick(
            vrg,
            sc,
            classes,
            c -> c.getSpec() == null ? null : c.getSpec().getProvisioner(),
            c -> c.getSpec() == null ? null : c.getSpec().getParameters(),
            "VolumeReplicationClass");
    return new Choice(p.picked(), p.problem());
  }

  static GroupChoice chooseGroup(
      VolumeReplicationGroup vrg, StorageClass sc, List<VolumeGroupReplicationClass> classes) {
    Picked<VolumeGroupReplicationClass> p =
        pick(
            vrg,
            sc,
            classes,
            c -> c.getSpec() == null ? null : c.getSpec().getProvisioner(),
            c -> c.getSpec() == null ? null : c.getSpec().getParameters(),
            "VolumeGroupReplicationClass");
    return new GroupChoice(p.picked(), p.problem());
  }

  private static <T extends HasMetadata> Picked<T> pick(
      VolumeReplicationGroup vrg,
      StorageClass sc,
      List<T> classes,
      Function<T, String> provisioner,
      Function<T, Map<String, String>> parameters,
      String kind) {
    var async = vrg.getSpec().getAsync();
    LabelSelector selector =
        async.getReplicationClassSelector() == null
            ? new LabelSelector()
            : async.getReplicationClassSelector();
    List<T> matching =
        classes.stream()
            .filter(c -> LabelSelectors.matches(selector, c.getMetadata().getLabels()))
            .filter(c -> sc.getProvisioner().equals(provisioner.apply(c)))
            .filter(
                c ->
                    async
                        .getSchedulingInterval()
                        .equals(get(parameters.apply(c), VrgNames.SCHEDULING_INTERVAL_PARAMETER)))
            .toList();
    if (matching.size() == 1) {
      return new Picked<>(matching.get(0), null);
    }
    if (matching.isEmpty()) {
      return new Picked<>(
          null,
          "failed to find the appropriate "
              + kind
              + " (provisioner "
              + sc.getProvisioner()
              + ", schedulingInterval "
              + async.getSchedulingInterval()
              + ")");
    }
    List<T> defaults =
        matching.stream()
            .filter(
                c ->
                    "true"
                        .equals(
                            get(c.getMetadata().getAnnotations(), VrgNames.DEFAULT_VRC_ANNOTATION)))
            .toList();
    return defaults.size() == 1
        ? new Picked<>(defaults.get(0), null)
        : new Picked<>(
            null,
            "multiple "
                + kind
                + "es match and "
                + defaults.size()
                + " of them are annotated "
                + VrgNames.DEFAULT_VRC_ANNOTATION
                + "=true (exactly one must be)");
  }

  private static String get(Map<String, String> map, String key) {
    return map == null ? null : map.get(key);
  }
}
