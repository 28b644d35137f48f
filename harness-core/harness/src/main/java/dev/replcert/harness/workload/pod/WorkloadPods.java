package dev.replcert.harness.workload.pod;

import dev.replcert.harness.config.VolumeMode;
import dev.replcert.harness.config.WorkloadConfig;
import dev.replcert.harness.workload.WorkloadCommand;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The pod contract of the workload (docs/workloads.md): labels, volumes, mounts, the stop
 * annotation and where results go. {@code PodWorkloads} builds pods with it; the lab's kubelet
 * recognises them by it.
 */
public final class WorkloadPods {

  /** {@code writer} or {@code verifier}. */
  public static final String LABEL_WORKLOAD = "replcert.dev/workload";

  /** The certification run that created the pod (a sweeper deletes by it). */
  public static final String LABEL_RUN_ID = "replcert.dev/run-id";

  /** The data run whose records the pod writes or checks. */
  public static final String LABEL_DATA_RUN = "replcert.dev/data-run";

  /** Set to {@code "true"} on a writer pod to stop it; the pod sees it in {@link #STOP_FILE}. */
  public static final String STOP_ANNOTATION = "replcert.dev/stop";

  public static final String WRITER = "writer";
  public static final String VERIFIER = "verifier";
  public static final String JAR = "jar";

  /** The only container of a workload pod. */
  public static final String CONTAINER = "workload";

  /** Where a Block PVC appears in the container. */
  public static final String DEVICE_PATH = "/dev/replcert-data";

  /** Where a Filesystem PVC is mounted; the records go to the file {@code replcert.data} in it. */
  public static final String MOUNT_PATH = "/replcert-data";

  public static final String CONTROL_DIR = "/replcert-control";

  /** The downward API file mirroring {@link #STOP_ANNOTATION}. */
  public static final String STOP_FILE = CONTROL_DIR + "/stop";

  public static final String TERMINATION_LOG = "/dev/termination-log";

  static final String DATA_VOLUME = "data";

  /** The second claim of a paired writer (see {@code PairedRecordWriter}). */
  public static final String PAIRED_VOLUME = "paired";

  public static final String PAIRED_DEVICE_PATH = DEVICE_PATH + "-paired";
  public static final String PAIRED_MOUNT_PATH = MOUNT_PATH + "-paired";
  static final String JAR_VOLUME = "workload-jar";
  static final String CONTROL_VOLUME = "control";

  private WorkloadPods() {}

  /** Where the PVC appears inside the container for {@code mode}. */
  public static String volumePath(VolumeMode mode) {
    return mode == VolumeMode.BLOCK ? DEVICE_PATH : MOUNT_PATH;
  }

  static Map<String, String> labels(String role, String runId, String dataRun) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(LABEL_WORKLOAD, role);
    labels.put(LABEL_RUN_ID, runId);
    if (dataRun != null) {
      labels.put(LABEL_DATA_RUN, dataRun);
    }
    return labels;
  }

  static ConfigMap jarConfigMap(WorkloadJar jar, String runId) {
    return new ConfigMapBuilder()
        .withNewMetadata()
        .withName(jar.configMapName())
        .withLabels(labels(JAR, runId, null))
        .addToAnnotations("replcert.dev/sha256", jar.sha256())
        .endMetadata()
        .addToBinaryData(WorkloadJar.KEY, Base64.getEncoder().encodeToString(jar.bytes()))
        .build();
  }

  /** Where a paired writer's second volume is in the container. */
  public static String pairedVolumePath(VolumeMode mode) {
    return mode == VolumeMode.BLOCK ? PAIRED_DEVICE_PATH : PAIRED_MOUNT_PATH;
  }

  /** A bare pod (restartPolicy Never) running {@code command} on the PVC. */
  static Pod pod(
      String name,
      String role,
      String runId,
      String pvc,
      VolumeMode mode,
      WorkloadCommand command,
      WorkloadConfig config,
      String jarConfigMap) {
    return pod(name, role, runId, pvc, null, mode, command, config, jarConfigMap);
  }

  /** As above; with {@code pairedPvc} (nullable) also mounted as the paired writer's volume. */
  static Pod pod(
      String name,
      String role,
      String runId,
      String pvc,
      String pairedPvc,
      VolumeMode mode,
      WorkloadCommand command,
      WorkloadConfig config,
      String jarConfigMap) {
    ContainerBuilder container =
        new ContainerBuilder()
            .withName(CONTAINER)
            .withImage(config.image())
            .withImagePullPolicy("IfNotPresent")
            .withCommand(config.command())
            .withArgs(command.args())
            .withTerminationMessagePath(TERMINATION_LOG)
            .withTerminationMessagePolicy("File")
            .addNewVolumeMount()
            .withName(JAR_VOLUME)
            .withMountPath(WorkloadJar.MOUNT_DIR)
            .withReadOnly(true)
            .endVolumeMount()
            .addNewVolumeMount()
            .withName(CONTROL_VOLUME)
            .withMountPath(CONTROL_DIR)
            .withReadOnly(true)
            .endVolumeMount();
    if (mode == VolumeMode.BLOCK) {
      container
          .addNewVolumeDevice()
          .withName(DATA_VOLUME)
          .withDevicePath(DEVICE_PATH)
          .endVolumeDevice();
    } else {
      container
          .addNewVolumeMount()
          .withName(DATA_VOLUME)
          .withMountPath(MOUNT_PATH)
          .endVolumeMount();
    }
    if (pairedPvc != null && mode == VolumeMode.BLOCK) {
      container.addNewVolumeDevice().withName(PAIRED_VOLUME).withDevicePath(PAIRED_DEVICE_PATH).endVolumeDevice();
    } else if (pairedPvc != null) {
      container.addNewVolumeMount().withName(PAIRED_VOLUME).withMountPath(PAIRED_MOUNT_PATH).endVolumeMount();
    }
    Container built = container.build();
    Pod pod = new PodBuilder()
        .withNewMetadata()
        .withName(name)
        .withLabels(labels(role, runId, command.runId()))
        .endMetadata()
        .withNewSpec()
        .withRestartPolicy("Never")
        .withTerminationGracePeriodSeconds(30L)
        .withContainers(built)
        .addNewVolume()
        .withName(DATA_VOLUME)
        .withNewPersistentVolumeClaim()
        .withClaimName(pvc)
        .endPersistentVolumeClaim()
        .endVolume()
        .addNewVolume()
        .withName(JAR_VOLUME)
        .withNewConfigMap()
        .withName(jarConfigMap)
        .addNewItem()
        .withKey(WorkloadJar.KEY)
        .withPath(WorkloadJar.KEY)
        .endItem()
        .endConfigMap()
        .endVolume()
        .addNewVolume()
        .withName(CONTROL_VOLUME)
        .withNewDownwardAPI()
        .addNewItem()
        .withPath("stop")
        .withNewFieldRef()
        .withFieldPath("metadata.annotations['" + STOP_ANNOTATION + "']")
        .endFieldRef()
        .endItem()
        .endDownwardAPI()
        .endVolume()
        .endSpec()
        .build();
    if (pairedPvc != null) {
      pod.getSpec().getVolumes().add(new io.fabric8.kubernetes.api.model.VolumeBuilder()
          .withName(PAIRED_VOLUME)
          .withNewPersistentVolumeClaim().withClaimName(pairedPvc).endPersistentVolumeClaim()
          .build());
    }
    return pod;
  }

  /** The status a kubelet reports while the workload runs: phase Running, container ready. */
  public static PodStatus running(Instant since) {
    return new PodStatusBuilder()
        .withPhase("Running")
        .addNewCondition()
        .withType("Ready")
        .withStatus("True")
        .endCondition()
        .addToContainerStatuses(
            new ContainerStatusBuilder()
                .withName(CONTAINER)
                .withImage("replcert-workload")
                .withReady(true)
                .withStarted(true)
                .withNewState()
                .withNewRunning()
                .withStartedAt(since.toString())
                .endRunning()
                .endState()
                .build())
        .build();
  }

  /**
   * The status a kubelet reports when the workload ended: Succeeded or Failed by the exit code, the
   * termination message where {@code PodWorkloads} reads it.
   */
  public static PodStatus terminated(WorkloadCommand.Outcome outcome, Instant at) {
    boolean ok = outcome.exitCode() == 0;
    return new PodStatusBuilder()
        .withPhase(ok ? "Succeeded" : "Failed")
        .addNewCondition()
        .withType("Ready")
        .withStatus("False")
        .withReason("PodCompleted")
        .endCondition()
        .addToContainerStatuses(
            new ContainerStatusBuilder()
                .withName(CONTAINER)
                .withImage("replcert-workload")
                .withReady(false)
                .withStarted(false)
                .withNewState()
                .withNewTerminated()
                .withExitCode(outcome.exitCode())
                .withReason(ok ? "Completed" : "Error")
                .withMessage(outcome.terminationMessage())
                .withFinishedAt(at.toString())
                .endTerminated()
                .endState()
                .build())
        .build();
  }

  /** The PVC a workload pod uses, or null if it is not one of ours. */
  public static String claimName(Pod pod) {
    if (pod.getSpec() == null || pod.getSpec().getVolumes() == null) {
      return null;
    }
    return pod.getSpec().getVolumes().stream()
        .filter(v -> DATA_VOLUME.equals(v.getName()) && v.getPersistentVolumeClaim() != null)
        .map(v -> v.getPersistentVolumeClaim().getClaimName())
        .findFirst()
        .orElse(null);
  }

  /** The paired writer's second PVC, or null. */
  public static String pairedClaimName(Pod pod) {
    if (pod.getSpec() == null || pod.getSpec().getVolumes() == null) {
      return null;
    }
    return pod.getSpec().getVolumes().stream()
        .filter(v -> PAIRED_VOLUME.equals(v.getName()) && v.getPersistentVolumeClaim() != null)
        .map(v -> v.getPersistentVolumeClaim().getClaimName())
        .findFirst()
        .orElse(null);
  }

  /** The workload command of a workload pod (what the lab's kubelet runs in-JVM). */
  public static WorkloadCommand command(Pod pod) {
    Container c =
        pod.getSpec().getContainers().stream()
            .filter(x -> CONTAINER.equals(x.getName()))
            .findFirst()
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "pod " + pod.getMetadata().getName() + " has no container " + CONTAINER));
    return WorkloadCommand.fromContainer(c.getCommand(), c.getArgs());
  }
}
