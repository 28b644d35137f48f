package dev.replcert.lab.substrate.kubelet;

import dev.replcert.harness.workload.pod.WorkloadPods;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.List;

/** A pod's claim volumes and the PVs behind them, as the kubelet's volume manager looks them up. */
final class PodVolumes {

  private PodVolumes() {}

  static List<Volume> claimVolumes(Pod pod) {
    List<Volume> volumes = new ArrayList<>();
    if (pod.getSpec().getVolumes() != null) {
      pod.getSpec().getVolumes().stream()
          .filter(v -> v.getPersistentVolumeClaim() != null)
          .forEach(volumes::add);
    }
    return volumes;
  }

  /** The PV bound to the claim, or null while the claim is not bound yet. */
  static PersistentVolume boundVolume(KubernetesClient client, String namespace, String claim) {
    PersistentVolumeClaim pvc =
        client.persistentVolumeClaims().inNamespace(namespace).withName(claim).get();
    if (pvc == null
        || pvc.getStatus() == null
        || !"Bound".equals(pvc.getStatus().getPhase())
        || isBlank(pvc.getSpec().getVolumeName())) {
      return null;
    }
    return client.persistentVolumes().withName(pvc.getSpec().getVolumeName()).get();
  }

  static VolumeMounts.Mounted dataVolume(Pod pod, PodRuntime runtime) {
    String claim = WorkloadPods.claimName(pod);
    for (Volume v : claimVolumes(pod)) {
      if (v.getPersistentVolumeClaim().getClaimName().equals(claim)) {
        return runtime.mounted.get(v.getName());
      }
    }
    return null;
  }

  /** The paired writer's second volume, or null when the pod has none. */
  static VolumeMounts.Mounted pairedVolume(Pod pod, PodRuntime runtime) {
    String claim = WorkloadPods.pairedClaimName(pod);
    if (claim == null) {
      return null;
    }
    for (Volume v : claimVolumes(pod)) {
      if (WorkloadPods.PAIRED_VOLUME.equals(v.getName())) {
        return runtime.mounted.get(v.getName());
      }
    }
    return null;
  }

  private static boolean isBlank(String s) {
    return s == null || s.isEmpty();
  }
}
