package dev.replcert.lab.substrate.kubelet;

import dev.replcert.harness.config.TimeoutOperation;
import dev.replcert.harness.config.TimeoutProfile;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Ending a pod on the node: its program stopped, its volumes unpublished and, once no other pod on
 * the node uses them, unstaged. Also for pods a previous kubelet ran ({@link #adopt}).
 */
final class PodTeardown {

  private final KubernetesClient client;
  private final VolumeMounts mounts;
  private final Map<String, PodRuntime> runtimes;
  private final Set<String> nodes;
  private final TimeoutProfile timeouts;

  PodTeardown(
      KubernetesClient client,
      VolumeMounts mounts,
      Map<String, PodRuntime> runtimes,
      Set<String> nodes,
      TimeoutProfile timeouts) {
    this.client = client;
    this.mounts = mounts;
    this.runtimes = runtimes;
    this.nodes = nodes;
    this.timeouts = timeouts;
  }

  /**
   * The pod's runtime; for a pod this kubelet has not run (it was restarted), one whose volumes are
   * the ones a previous kubelet would have published, found from the pod alone (the paths are
   * derived from node, pod uid and volume name), so they can be unpublished: NodeUnpublish of
   * something not published is a no-op.
   */
  PodRuntime adopt(String key, Pod pod) {
    PodRuntime known = runtimes.get(key);
    if (known != null) {
      return known;
    }
    String nodeId = pod.getSpec().getNodeName();
    PodRuntime runtime = new PodRuntime(pod.getMetadata().getUid(), nodeId);
    if (nodeId != null && nodes.contains(nodeId)) {
      for (Volume volume : PodVolumes.claimVolumes(pod)) {
        PersistentVolume pv =
            PodVolumes.boundVolume(
                client,
                pod.getMetadata().getNamespace(),
                volume.getPersistentVolumeClaim().getClaimName());
        if (pv != null && pv.getSpec().getCsi() != null) {
          runtime.mounted.put(
              volume.getName(), mounts.expected(nodeId, runtime.uid, volume.getName(), pv));
        }
      }
    }
    runtimes.put(key, runtime);
    return runtime;
  }

  void tearDown(String key, PodRuntime runtime) {
    stopProgram(runtime);
    unpublishAll(runtime);
    runtimes.remove(key, runtime);
  }

  /**
   * The program sees the deletion through its stop signal and finishes the write in flight; one
   * that does not within the pod-delete limit is interrupted, as a kubelet kills the container
   * after the grace period.
   */
  private void stopProgram(PodRuntime runtime) {
    Thread program = runtime.program;
    if (program == null) {
      return;
    }
    try {
      program.join(timeouts.of(TimeoutOperation.POD_DELETE).toMillis());
      if (program.isAlive()) {
        program.interrupt();
        program.join(TimeUnit.SECONDS.toMillis(5));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  void unpublishAll(PodRuntime runtime) {
    for (var it = runtime.mounted.entrySet().iterator(); it.hasNext(); ) {
      VolumeMounts.Mounted m = it.next().getValue();
      mounts.unpublish(m);
      if (!stagedElsewhere(runtime, m)) {
        mounts.unstage(m);
      }
      it.remove();
    }
  }

  private boolean stagedElsewhere(PodRuntime self, VolumeMounts.Mounted m) {
    return runtimes.values().stream()
        .filter(r -> r != self)
        .flatMap(r -> r.mounted.values().stream())
        .anyMatch(o -> o.nodeId().equals(m.nodeId()) && o.pvName().equals(m.pvName()));
  }
}
