package dev.replcert.lab.substrate.kubelet;

import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import java.time.Instant;

/**
 * Pod statuses the lab's kubelet reports for pods that are not workload pods, and while pending.
 */
final class PodStatuses {

  private PodStatuses() {}

  /** Scheduled but not started: containers wait with {@code reason}, the pod says why. */
  static PodStatus pending(Pod pod, String hostIp, String reason, String message) {
    PodStatusBuilder b =
        new PodStatusBuilder()
            .withPhase("Pending")
            .withHostIP(hostIp)
            .addNewCondition()
            .withType("PodScheduled")
            .withStatus("True")
            .endCondition()
            .addNewCondition()
            .withType("Ready")
            .withStatus("False")
            .withReason(reason)
            .withMessage(message)
            .endCondition();
    ContainerState waiting =
        new ContainerStateBuilder().withNewWaiting().withReason("ContainerCreating").endWaiting().build();
    return withContainers(b, pod, false, waiting);
  }

  /** An application pod with its volumes published: every container running and ready. */
  static PodStatus running(Pod pod, String hostIp, Instant since) {
    PodStatusBuilder b =
        new PodStatusBuilder()
            .withPhase("Running")
            .withHostIP(hostIp)
            .withStartTime(since.toString())
            .addNewCondition()
            .withType("PodScheduled")
            .withStatus("True")
            .endCondition()
            .addNewCondition()
            .withType("Ready")
            .withStatus("True")
            .endCondition();
    ContainerState running =
        new ContainerStateBuilder().withNewRunning().withStartedAt(since.toString()).endRunning().build();
    return withContainers(b, pod, true, running);
  }

  /** Every container of the pod in {@code state}, started and ready when {@code running}. */
  private static PodStatus withContainers(PodStatusBuilder b, Pod pod, boolean running, ContainerState state) {
    pod.getSpec()
        .getContainers()
        .forEach(
            c ->
                b.addToContainerStatuses(
                    new ContainerStatusBuilder()
                        .withName(c.getName())
                        .withImage(c.getImage())
                        .withReady(running)
                        .withStarted(running)
                        .withState(state)
                        .build()));
    return b.build();
  }

  static String phase(Pod pod) {
    return pod.getStatus() == null ? null : pod.getStatus().getPhase();
  }

  static boolean terminal(Pod pod) {
    String phase = phase(pod);
    return "Succeeded".equals(phase) || "Failed".equals(phase);
  }

  /** The Ready condition's message, to tell whether a pending status already says the same. */
  static String readyMessage(Pod pod) {
    if (pod.getStatus() == null || pod.getStatus().getConditions() == null) {
      return null;
    }
    return pod.getStatus().getConditions().stream()
        .filter(c -> "Ready".equals(c.getType()))
        .map(c -> c.getMessage())
        .findFirst()
        .orElse(null);
  }
}
