package dev.replcert.lab.substrate.kubelet;

import dev.replcert.harness.volume.PublishedVolume;
import dev.replcert.harness.volume.VolumeIo;
import dev.replcert.harness.workload.TerminationMessage;
import dev.replcert.harness.workload.WorkloadCommand;
import dev.replcert.harness.workload.pod.PodAnnotationStopSignal;
import dev.replcert.harness.workload.pod.WorkloadPods;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * The container of a workload pod, in-JVM: the pod's {@link WorkloadCommand} on the volume the
 * kubelet published, stdout into the pod's log, the stop annotation (or the pod's deletion) as its
 * stop signal, and its outcome handed back as a real container's exit code and termination message
 * would be.
 */
final class WorkloadProgram {

  private WorkloadProgram() {}

  /**
   * Starts the program on its own thread; {@code ended} gets the outcome, also when the command or
   * the volume cannot be opened (an {@code error} message with exit code 1, as the program itself
   * writes one).
   */
  static Thread start(
      KubernetesClient client,
      Pod pod,
      PodRuntime runtime,
      Path target,
      Path pairedTarget,
      Duration rpcTimeout,
      Consumer<WorkloadCommand.Outcome> ended) {
    String namespace = pod.getMetadata().getNamespace();
    String name = pod.getMetadata().getName();
    Thread thread =
        new Thread(
            () ->
                ended.accept(
                    run(client, pod, runtime, target, pairedTarget, rpcTimeout, namespace, name)),
            "lab-kubelet-" + namespace + "-" + name);
    thread.setDaemon(true);
    thread.start();
    return thread;
  }

  private static WorkloadCommand.Outcome run(
      KubernetesClient client,
      Pod pod,
      PodRuntime runtime,
      Path target,
      Path pairedTarget,
      Duration rpcTimeout,
      String namespace,
      String name) {
    PrintStream out = new PrintStream(runtime.log, true, StandardCharsets.UTF_8);
    WorkloadCommand command;
    try {
      command = WorkloadPods.command(pod);
    } catch (IllegalArgumentException e) {
      out.println("replcert workload: bad arguments: " + e.getMessage());
      return new WorkloadCommand.Outcome(2, TerminationMessage.error("arguments", e.getMessage()));
    }
    VolumeIo io;
    try {
      io = PublishedVolume.open(target, command.block(), command.size(), rpcTimeout);
    } catch (RuntimeException e) {
      out.println("replcert workload: cannot open the volume: " + e);
      return new WorkloadCommand.Outcome(1, TerminationMessage.error("open volume", e.toString()));
    }
    VolumeIo paired = null;
    if (command.pairedVolume() != null) {
      try {
        paired = PublishedVolume.open(pairedTarget, command.block(), command.size(), rpcTimeout);
      } catch (RuntimeException e) {
        io.close();
        out.println("replcert workload: cannot open the paired volume: " + e);
        return new WorkloadCommand.Outcome(1, TerminationMessage.error("open volume", e.toString()));
      }
    }
    try (io; VolumeIo second = paired) {
      return command.run(io, second, out, new PodAnnotationStopSignal(client, namespace, name));
    }
  }
}
