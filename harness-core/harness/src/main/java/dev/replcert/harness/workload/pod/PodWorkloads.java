package dev.replcert.harness.workload.pod;

import dev.replcert.harness.config.TimeoutOperation;
import dev.replcert.harness.config.TimeoutProfile;
import dev.replcert.harness.config.VolumeMode;
import dev.replcert.harness.config.WorkloadConfig;
import dev.replcert.harness.track.ResourceTracker;
import dev.replcert.harness.workload.TerminationMessage;
import dev.replcert.harness.workload.Verification;
import dev.replcert.harness.workload.WorkloadCommand;
import dev.replcert.harness.workload.WorkloadException;
import dev.replcert.harness.workload.Workloads;
import dev.replcert.harness.workload.WriterHandle;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.HttpURLConnection;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link Workloads} as bare pods on a cluster (a real one, or the lab's API server whose kubelet
 * runs the program in-JVM). The pod contract is {@link WorkloadPods} and docs/workloads.md: the
 * image and launcher come from cert.yaml, the program is the harness's own {@link WorkloadJar}
 * mounted from a ConfigMap, results come back as the container's termination message and writer
 * progress through the pod log. Every object created is registered with the tracker; every wait is
 * named, limited by the {@link TimeoutProfile}, and a timeout says what the pod looked like.
 */
public final class PodWorkloads implements Workloads {

  private static final Logger LOG = LoggerFactory.getLogger(PodWorkloads.class);
  private static final Pattern LABEL_VALUE =
      Pattern.compile("([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)");
  // Room left for a filesystem's own metadata when the records go to a file on a mounted PVC.
  private static final int FILESYSTEM_SHARE_PERCENT = 90;
  private static final int MAX_NAME = 63;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final KubernetesClient client;
  private final WorkloadConfig config;
  private final TimeoutProfile timeouts;
  private final ResourceTracker tracker;
  private final String runId;
  private final WorkloadJar jar;
  private final String nodeName;

  /**
   * @param runId the certification run: label {@value WorkloadPods#LABEL_RUN_ID} on everything
   *     created, so a sweeper finds leftovers
   */
  public PodWorkloads(
      KubernetesClient client,
      WorkloadConfig config,
      TimeoutProfile timeouts,
      ResourceTracker tracker,
      String runId) {
    this(client, config, timeouts, tracker, labelValue("run id", runId), null);
  }

  private PodWorkloads(
      KubernetesClient client,
      WorkloadConfig config,
      TimeoutProfile timeouts,
      ResourceTracker tracker,
      String runId,
      String nodeName) {
    this.client = Objects.requireNonNull(client, "client");
    this.config = Objects.requireNonNull(config, "config");
    this.timeouts = Objects.requireNonNull(timeouts, "timeouts");
    this.tracker = Objects.requireNonNull(tracker, "tracker");
    this.runId = runId;
    this.jar = WorkloadJar.get();
    this.nodeName = nodeName;
  }

  /**
   * The same workloads with every pod bound to one node ({@code spec.nodeName}, which skips the
   * scheduler): for tests about what a node may do, such as one whose address is fenced.
   */
  public PodWorkloads onNode(String node) {
    return new PodWorkloads(client, config, timeouts, tracker, runId, Objects.requireNonNull(node, "node"));
  }

  @Override
  public WriterHandle startWriter(String namespace, String pvc, VolumeMode mode, String runId) {
    return continueWriter(namespace, pvc, mode, runId, 0);
  }

  @Override
  public WriterHandle continueWriter(
      String namespace, String pvc, VolumeMode mode, String dataRun, long nextSequence) {
    WorkloadCommand command = writerCommand(namespace, pvc, mode, dataRun, nextSequence);
    String name = create(namespace, WorkloadPods.WRITER, pvc, mode, command);
    Pod started =
        awaitPod(
            namespace,
            name,
            "waiting for the writer to run",
            TimeoutOperation.POD_START,
            pod -> PodStatusText.running(pod) || PodStatusText.terminated(pod));
    if (PodStatusText.terminated(started)) {
      // Ended at once: fine if it reports (e.g. a secondary refused the first write), not if not.
      result(namespace, name, started, "starting the writer");
    }
    LOG.info("writer pod {}/{} runs data run {} from #{}", namespace, name, dataRun, nextSequence);
    return new PodWriterHandle(this, namespace, name, command);
  }

  /**
   * Creates a writer pod and returns its name at once, without waiting for it to run: for tests
   * that expect it not to (a node whose address is fenced). Deleted at cleanup like every pod.
   */
  public String submitWriter(
      String namespace, String pvc, VolumeMode mode, String dataRun, long nextSequence) {
    return create(
        namespace,
        WorkloadPods.WRITER,
        pvc,
        mode,
        writerCommand(namespace, pvc, mode, dataRun, nextSequence));
  }

  /**
   * The pod of a writer that something else delivers (an application's ManifestWork, applied to
   * whichever cluster the placement decides), not created here: same contract as {@link
   * #continueWriter}, named {@code name}, sized for a claim of {@code claimSize} (the claim may
   * not exist yet), and resuming after what the volume holds of the data run, so the same pod spec
   * continues the history on the other cluster after a failover. The workload jar's ConfigMap is
   * ensured in the namespace of this client's cluster.
   */
  public Pod deliveredWriter(
      String namespace, String name, String pvc, VolumeMode mode, Quantity claimSize, String dataRun) {
    WorkloadCommand command =
        WorkloadCommand.writer()
            .runId(labelValue("data run id", dataRun))
            .block(mode == VolumeMode.BLOCK)
            .volume(WorkloadPods.volumePath(mode))
            .size(usable(Quantity.getAmountInBytes(claimSize).longValue(), mode))
            .recordSize(config.recordSize())
            .rate(config.writesPerSecond())
            .resume(true)
            .stopFile(WorkloadPods.STOP_FILE)
            .build();
    Pod pod = WorkloadPods.pod(name, WorkloadPods.WRITER, runId, pvc, mode, command, config, ensureJar(namespace));
    pod.getMetadata().setNamespace(namespace);
    if (nodeName != null) {
      pod.getSpec().setNodeName(nodeName);
    }
    return pod;
  }

  /**
   * As {@link #deliveredWriter}, writing dependent records to {@code pvc} and then {@code pairedPvc}
   * (each its own data run; see {@code PairedRecordWriter}), at {@code stepsPerSecond} pairs.
   */
  public Pod deliveredPairedWriter(String namespace, String name, String pvc, String pairedPvc, VolumeMode mode,
      Quantity claimSize, String dataRun, String pairedDataRun, int stepsPerSecond) {
    WorkloadCommand command =
        WorkloadCommand.writer()
            .runId(labelValue("data run id", dataRun))
            .block(mode == VolumeMode.BLOCK)
            .volume(WorkloadPods.volumePath(mode))
            .size(usable(Quantity.getAmountInBytes(claimSize).longValue(), mode))
            .recordSize(config.recordSize())
            .rate(stepsPerSecond)
            .resume(true)
            .stopFile(WorkloadPods.STOP_FILE)
            .paired(WorkloadPods.pairedVolumePath(mode), labelValue("data run id", pairedDataRun))
            .build();
    Pod pod = WorkloadPods.pod(name, WorkloadPods.WRITER, runId, pvc, pairedPvc, mode, command, config,
        ensureJar(namespace));
    pod.getMetadata().setNamespace(namespace);
    if (nodeName != null) {
      pod.getSpec().setNodeName(nodeName);
    }
    return pod;
  }

  /**
   * A handle on a writer pod created by someone else ({@link #deliveredWriter}): progress from its
   * log, stop by annotation, as for the writers started here, but a stopped pod is left (terminated)
   * to its owner, who would only recreate it. The pod must exist.
   */
  public WriterHandle attachWriter(String namespace, String name) {
    Pod pod = client.pods().inNamespace(namespace).withName(name).get();
    if (pod == null) {
      throw new WorkloadException("pod " + ref(namespace, name), "attaching to the writer", "no such pod", null);
    }
    return new PodWriterHandle(this, namespace, name, WorkloadPods.command(pod), false);
  }

  private WorkloadCommand writerCommand(
      String namespace, String pvc, VolumeMode mode, String dataRun, long nextSequence) {
    return WorkloadCommand.writer()
        .runId(labelValue("data run id", dataRun))
        .block(mode == VolumeMode.BLOCK)
        .volume(WorkloadPods.volumePath(mode))
        .size(usableSize(namespace, pvc, mode))
        .recordSize(config.recordSize())
        .rate(config.writesPerSecond())
        .firstSequence(nextSequence)
        .stopFile(WorkloadPods.STOP_FILE)
        .build();
  }

  @Override
  public Verification verify(String namespace, String pvc, VolumeMode mode, String dataRun) {
    WorkloadCommand command =
        WorkloadCommand.verify()
            .runId(labelValue("data run id", dataRun))
            .block(mode == VolumeMode.BLOCK)
            .volume(WorkloadPods.volumePath(mode))
            .size(usableSize(namespace, pvc, mode))
            .recordSize(config.recordSize())
            .build();
    String name = create(namespace, WorkloadPods.VERIFIER, pvc, mode, command);
    Pod done =
        awaitPod(
            namespace,
            name,
            "waiting for the verifier to read the volume",
            TimeoutOperation.VERIFY,
            PodStatusText::terminated);
    TerminationMessage result = result(namespace, name, done, "verifying");
    if (!(result instanceof TerminationMessage.Verified verified)) {
      throw new WorkloadException(
          "pod " + ref(namespace, name),
          "verifying",
          "the verifier reported " + result,
          PodStatusText.describe(done));
    }
    delete(namespace, name);
    LOG.info("verifier pod {}/{}: {}", namespace, name, verified.verification().describe());
    return verified.verification();
  }

  KubernetesClient client() {
    return client;
  }

  TimeoutProfile timeouts() {
    return timeouts;
  }

  /**
   * The result a terminated pod left, or a WorkloadException saying why there is none: the program
   * failed (its error message), or the container died without a message of ours.
   */
  TerminationMessage result(String namespace, String name, Pod pod, String phase) {
    String message = PodStatusText.terminationMessage(pod).orElse(null);
    TerminationMessage parsed;
    try {
      parsed = TerminationMessage.parse(message);
    } catch (IllegalArgumentException e) {
      throw new WorkloadException(
          "pod " + ref(namespace, name),
          phase,
          "the container ended without a workload result (" + e.getMessage() + ")",
          PodStatusText.describe(client, namespace, name, pod));
    }
    if (parsed instanceof TerminationMessage.Failed failed) {
      throw new WorkloadException(
          "pod " + ref(namespace, name),
          phase,
          "the workload program failed in phase '" + failed.phase() + "': " + failed.message(),
          PodStatusText.describe(pod));
    }
    return parsed;
  }

  /**
   * Polls the pod until {@code done} holds, at most the profile's limit for {@code op}. A container
   * that cannot start ends the wait at once. Throws a WorkloadException with the last status and
   * the pod's events on timeout.
   */
  Pod awaitPod(
      String namespace, String name, String phase, TimeoutOperation op, Predicate<Pod> done) {
    AtomicReference<Pod> last = new AtomicReference<>();
    AtomicReference<String> stuck = new AtomicReference<>();
    AtomicReference<KubernetesClientException> error = new AtomicReference<>();
    Duration limit = timeouts.of(op);
    try {
      Awaitility.await(phase + ": pod " + ref(namespace, name))
          .atMost(limit)
          .pollDelay(Duration.ZERO)
          .pollInterval(timeouts.of(TimeoutOperation.POLL))
          .until(
              () -> {
                try {
                  Pod pod = client.pods().inNamespace(namespace).withName(name).get();
                  last.set(pod);
                  error.set(null);
                  PodStatusText.stuck(pod).ifPresent(stuck::set);
                  return stuck.get() != null || pod != null && done.test(pod);
                } catch (KubernetesClientException e) {
                  error.set(e);
                  return false;
                }
              });
    } catch (ConditionTimeoutException e) {
      String problem = "not done within " + op.id() + " = " + limit;
      if (error.get() != null) {
        problem += "; the API server last answered: " + error.get().getMessage();
      }
      throw new WorkloadException(
          "pod " + ref(namespace, name),
          phase,
          problem,
          PodStatusText.describe(client, namespace, name, last.get()),
          e);
    }
    if (stuck.get() != null) {
      throw new WorkloadException(
          "pod " + ref(namespace, name),
          phase,
          "the container cannot start: " + stuck.get(),
          PodStatusText.describe(client, namespace, name, last.get()));
    }
    return last.get();
  }

  /** Deletes a workload pod and waits until it is gone; already gone is fine. */
  void delete(String namespace, String name) {
    client.pods().inNamespace(namespace).withName(name).delete();
    awaitGone(namespace, name);
  }

  private void awaitGone(String namespace, String name) {
    Duration limit = timeouts.of(TimeoutOperation.POD_DELETE);
    AtomicReference<Pod> last = new AtomicReference<>();
    try {
      Awaitility.await("pod " + ref(namespace, name) + " gone")
          .atMost(limit)
          .pollDelay(Duration.ZERO)
          .pollInterval(timeouts.of(TimeoutOperation.POLL))
          .until(
              () -> {
                last.set(client.pods().inNamespace(namespace).withName(name).get());
                return last.get() == null;
              });
    } catch (ConditionTimeoutException e) {
      throw new WorkloadException(
          "pod " + ref(namespace, name),
          "deleting the pod",
          "still there after podDelete = " + limit,
          PodStatusText.describe(last.get()),
          e);
    }
  }

  private String create(
      String namespace, String role, String pvc, VolumeMode mode, WorkloadCommand command) {
    String jarMap = ensureJar(namespace);
    String name = podName(role, pvc);
    Pod pod = WorkloadPods.pod(name, role, runId, pvc, mode, command, config, jarMap);
    if (nodeName != null) {
      pod.getSpec().setNodeName(nodeName);
    }
    client.pods().inNamespace(namespace).resource(pod).create();
    tracker.track(role + " pod " + ref(namespace, name), () -> delete(namespace, name));
    return name;
  }

  /**
   * The jar's ConfigMap in the namespace, created (and tracked) if absent. Looked up before every
   * pod: another test's cleanup may have removed it since.
   */
  private String ensureJar(String namespace) {
    String name = jar.configMapName();
    if (client.configMaps().inNamespace(namespace).withName(name).get() != null) {
      return name;
    }
    ConfigMap map = WorkloadPods.jarConfigMap(jar, runId);
    try {
      client.configMaps().inNamespace(namespace).resource(map).create();
      tracker.track(
          "workload jar ConfigMap " + ref(namespace, name),
          () -> client.configMaps().inNamespace(namespace).withName(name).delete());
    } catch (KubernetesClientException e) {
      // created meanwhile by another PodWorkloads: theirs to clean up
      if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
        throw new WorkloadException(
            "ConfigMap " + ref(namespace, name),
            "shipping the workload jar",
            e.getMessage(),
            null,
            e);
      }
    }
    return name;
  }

  /**
   * Bytes the workload may use on the PVC: its capacity (or request while unbound); on a filesystem
   * {@value #FILESYSTEM_SHARE_PERCENT}% of it, leaving room for the filesystem.
   */
  private long usableSize(String namespace, String pvc, VolumeMode mode) {
    PersistentVolumeClaim claim =
        client.persistentVolumeClaims().inNamespace(namespace).withName(pvc).get();
    String what = "PVC " + ref(namespace, pvc);
    if (claim == null) {
      throw new WorkloadException(what, "preparing the workload", "the PVC does not exist", null);
    }
    String claimMode = claim.getSpec() == null ? null : claim.getSpec().getVolumeMode();
    if (claimMode != null && !claimMode.equals(mode.id())) {
      throw new WorkloadException(
          what,
          "preparing the workload",
          "the PVC is " + claimMode + ", the test asked for " + mode,
          null);
    }
    Quantity size = storage(claim.getStatus() == null ? null : claim.getStatus().getCapacity());
    if (size == null && claim.getSpec() != null && claim.getSpec().getResources() != null) {
      size = storage(claim.getSpec().getResources().getRequests());
    }
    if (size == null) {
      throw new WorkloadException(
          what,
          "preparing the workload",
          "the PVC has neither a capacity nor a storage request",
          null);
    }
    return usable(Quantity.getAmountInBytes(size).longValue(), mode);
  }

  private static long usable(long bytes, VolumeMode mode) {
    return mode == VolumeMode.BLOCK ? bytes : bytes / 100 * FILESYSTEM_SHARE_PERCENT;
  }

  private static Quantity storage(Map<String, Quantity> resources) {
    return resources == null ? null : resources.get("storage");
  }

  private static String podName(String role, String pvc) {
    String suffix = Integer.toString(RANDOM.nextInt(36 * 36 * 36 * 36 * 36), 36);
    String prefix = "replcert-" + role + "-";
    String middle = pvc.toLowerCase().replaceAll("[^a-z0-9-]", "-");
    int room = MAX_NAME - prefix.length() - suffix.length() - 1;
    if (middle.length() > room) {
      middle = middle.substring(0, room);
    }
    middle = middle.replaceAll("-+$", "");
    return prefix + middle + "-" + suffix;
  }

  private static String labelValue(String what, String value) {
    if (value == null || !LABEL_VALUE.matcher(value).matches()) {
      throw new IllegalArgumentException(
          what
              + " '"
              + value
              + "' is not a valid label value (at most 63 of [A-Za-z0-9._-],"
              + " starting and ending alphanumeric)");
    }
    return value;
  }

  static String ref(String namespace, String name) {
    return namespace + "/" + name;
  }

  @Override
  public String toString() {
    return "PodWorkloads["
        + client.getMasterUrl()
        + ", image "
        + config.image()
        + ", run "
        + runId
        + "]";
  }
}
