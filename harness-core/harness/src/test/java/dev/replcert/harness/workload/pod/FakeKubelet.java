package dev.replcert.harness.workload.pod;

import dev.replcert.harness.volume.FileVolumeIo;
import dev.replcert.harness.volume.VolumeIo;
import dev.replcert.harness.workload.StopSignal;
import dev.replcert.harness.workload.TerminationMessage;
import dev.replcert.harness.workload.WorkloadCommand;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Just enough kubelet for PodWorkloads' tests, against the CRUD mock: polls (no watch: closing a
 * watch mid-event stalls the mock) for workload pods, runs their {@link WorkloadCommand} in-JVM
 * against a file per PVC under {@code volumes} ({@code <pvc>.img} for Block, directory {@code
 * <pvc>} for Filesystem), reports Running and then the termination message, and serves the
 * container log through an expectation on the log endpoint.
 */
final class FakeKubelet implements AutoCloseable {

  /** What the kubelet does with a new pod. */
  enum Behaviour {
    RUN,
    /** Leave it Pending as an unschedulable pod, with an event saying so. */
    UNSCHEDULABLE,
    /** Its image cannot be pulled. */
    IMAGE_PULL_FAILS,
    /**
     * Run it, but never pass the stop annotation on (a stuck downward API refresh); deletion stops.
     */
    IGNORE_STOP
  }

  private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

  private final KubernetesMockServer server;
  private final KubernetesClient client;
  private final String namespace;
  private final Path volumes;
  private final Map<String, ByteArrayOutputStream> logs = new ConcurrentHashMap<>();
  private volatile Behaviour behaviour = Behaviour.RUN;
  private volatile boolean serveLogs = true;
  private volatile boolean running = true;
  private final Thread thread;

  FakeKubelet(
      KubernetesMockServer server, KubernetesClient client, String namespace, Path volumes) {
    this.server = server;
    this.client = client;
    this.namespace = namespace;
    this.volumes = volumes;
    this.thread = new Thread(this::loop, "fake-kubelet");
    thread.setDaemon(true);
    thread.start();
  }

  void behave(Behaviour behaviour) {
    this.behaviour = behaviour;
  }

  /** Without logs, as an API server that does not route the log endpoint. */
  void withoutLogs() {
    this.serveLogs = false;
  }

  /** Pods this kubelet has taken up, by name. */
  Map<String, ByteArrayOutputStream> logs() {
    return logs;
  }

  private void loop() {
    while (running) {
      try {
        for (Pod pod :
            client
                .pods()
                .inNamespace(namespace)
                .withLabel(WorkloadPods.LABEL_WORKLOAD)
                .list()
                .getItems()) {
          String name = pod.getMetadata().getName();
          if (!logs.containsKey(name)) {
            logs.put(name, new ByteArrayOutputStream());
            take(pod);
          }
        }
      } catch (RuntimeException e) {
        // the mock may be shutting down
      }
      LockSupport.parkNanos(POLL_NANOS);
    }
  }

  private void take(Pod pod) {
    String name = pod.getMetadata().getName();
    switch (behaviour) {
      case UNSCHEDULABLE -> {
        status(
            name,
            new PodStatusBuilder()
                .withPhase("Pending")
                .addNewCondition()
                .withType("PodScheduled")
                .withStatus("False")
                .withReason("Unschedulable")
                .withMessage("0/3 nodes are available: 3 node(s) had volume node affinity conflict")
                .endCondition()
                .build());
        client
            .v1()
            .events()
            .inNamespace(namespace)
            .resource(
                new io.fabric8.kubernetes.api.model.EventBuilder()
                    .withNewMetadata()
                    .withName(name + ".1")
                    .endMetadata()
                    .withNewInvolvedObject()
                    .withKind("Pod")
                    .withName(name)
                    .withNamespace(namespace)
                    .endInvolvedObject()
                    .withType("Warning")
                    .withReason("FailedScheduling")
                    .withMessage("volume node affinity conflict")
                    .withLastTimestamp(Instant.now().toString())
                    .build())
            .create();
        return;
      }
      case IMAGE_PULL_FAILS -> {
        status(
            name,
            new PodStatusBuilder()
                .withPhase("Pending")
                .addToContainerStatuses(
                    new ContainerStatusBuilder()
                        .withName(WorkloadPods.CONTAINER)
                        .withNewState()
                        .withNewWaiting()
                        .withReason("ImagePullBackOff")
                        .withMessage("Back-off pulling image \"registry.invalid/x\"")
                        .endWaiting()
                        .endState()
                        .build())
                .build());
        return;
      }
      case RUN, IGNORE_STOP -> run(pod);
    }
  }

  private void run(Pod pod) {
    String name = pod.getMetadata().getName();
    WorkloadCommand command = WorkloadPods.command(pod);
    String pvc = WorkloadPods.claimName(pod);
    Path target = volumes.resolve(command.block() ? pvc + ".img" : pvc);
    ByteArrayOutputStream log = logs.get(name);
    if (serveLogs) {
      server
          .expect()
          .get()
          .withPath(
              "/api/v1/namespaces/"
                  + namespace
                  + "/pods/"
                  + name
                  + "/log?container="
                  + WorkloadPods.CONTAINER
                  + "&tailLines=20")
          .andReply(200, request -> text(log))
          .always();
    }
    VolumeIo io;
    try {
      io =
          command.action() == WorkloadCommand.Action.WRITER
              ? FileVolumeIo.open(target, command.block(), command.size())
              : FileVolumeIo.openReadOnly(target, command.block(), command.size());
    } catch (RuntimeException e) {
      terminated(
          name,
          new WorkloadCommand.Outcome(1, TerminationMessage.error("open volume", e.toString())));
      return;
    }
    status(name, WorkloadPods.running(Instant.now()));
    StopSignal stop =
        behaviour == Behaviour.IGNORE_STOP
            ? () -> client.pods().inNamespace(namespace).withName(name).get() == null
            : new PodAnnotationStopSignal(client, namespace, name);
    Thread program =
        new Thread(
            () -> {
              PrintStream out = new PrintStream(log, true, StandardCharsets.UTF_8);
              WorkloadCommand.Outcome outcome;
              try (io) {
                outcome = command.run(io, out, stop);
              }
              terminated(name, outcome);
            },
            "fake-kubelet-" + name);
    program.setDaemon(true);
    program.start();
  }

  private void terminated(String name, WorkloadCommand.Outcome outcome) {
    status(name, WorkloadPods.terminated(outcome, Instant.now()));
  }

  private void status(String name, PodStatus status) {
    try {
      client
          .pods()
          .inNamespace(namespace)
          .withName(name)
          .editStatus(p -> new PodBuilder(p).withStatus(status).build());
    } catch (RuntimeException e) {
      // deleted meanwhile
    }
  }

  private static String text(ByteArrayOutputStream log) {
    synchronized (log) {
      return log.toString(StandardCharsets.UTF_8);
    }
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    thread.join(5000);
  }
}
