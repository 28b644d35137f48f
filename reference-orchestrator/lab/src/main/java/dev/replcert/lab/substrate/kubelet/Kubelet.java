package dev.replcert.lab.substrate.kubelet;

import dev.replcert.harness.config.TimeoutOperation;
import dev.replcert.harness.config.TimeoutProfile;
import dev.replcert.harness.workload.TerminationMessage;
import dev.replcert.harness.workload.WorkloadCommand;
import dev.replcert.harness.workload.pod.WorkloadPods;
import dev.replcert.lab.substrate.Events;
import dev.replcert.lab.substrate.SiteDriver;
import dev.replcert.lab.substrate.WorkQueue;
import dev.replcert.refdriver.DriverOptions.NodeSpec;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * The kubelets of one site's nodes, as one controller: takes up pods bound to (or, with no
 * scheduler in the lab, schedulable on) its nodes, stages and publishes their PVCs through the
 * node's CSI socket, runs workload pods' program in-JVM and reports pods Running; a failed publish
 * (a secondary volume, a fenced node) leaves the pod Pending with a FailedMount event and is
 * retried with backoff. A finalizer of its own stands in for graceful deletion, which the CRUD mock
 * lacks: a deleted pod stays until its program stopped and its volumes are unpublished.
 */
public final class Kubelet implements AutoCloseable {

  /** Held on every pod this kubelet runs until its volumes are unpublished. */
  public static final String FINALIZER = "replcert.dev/lab-kubelet";

  /** The reason of a pod that was Running when a previous kubelet went down. */
  public static final String LOST_REASON = "ContainerLost";

  private static final long RESYNC_MILLIS = 5_000;

  private final KubernetesClient client;
  private final SiteDriver driver;
  private final List<NodeSpec> nodes;
  private final String site;
  private final VolumeMounts mounts;
  private final TimeoutProfile timeouts;
  private final Events events;
  private final Map<String, PodRuntime> runtimes = new ConcurrentHashMap<>();
  private final PodTeardown teardown;
  private WorkQueue loop;
  private SharedIndexInformer<Pod> informer;
  private volatile boolean closed;

  /**
   * @param root the kubelets' directory: staging and publish target paths go under it
   */
  public Kubelet(
      KubernetesClient client,
      SiteDriver driver,
      String site,
      List<NodeSpec> nodes,
      Path root,
      TimeoutProfile timeouts) {
    if (nodes.isEmpty()) {
      throw new IllegalArgumentException("site " + site + " needs at least one node");
    }
    this.client = client;
    this.driver = driver;
    this.site = site;
    this.nodes = List.copyOf(nodes);
    this.mounts = new VolumeMounts(driver, root);
    this.timeouts = timeouts;
    this.events = new Events(client, "kubelet");
    this.teardown =
        new PodTeardown(
            client,
            mounts,
            runtimes,
            nodes.stream().map(NodeSpec::id).collect(java.util.stream.Collectors.toSet()),
            timeouts);
  }

  /** Registers the Node objects and starts watching pods. */
  public synchronized Kubelet start() {
    NodeObjects.register(client, site, nodes);
    loop = WorkQueue.builder("lab-kubelet-" + site, this::reconcile).build();
    informer =
        client
            .pods()
            .inAnyNamespace()
            .inform(
                new ResourceEventHandler<>() {
                  @Override
                  public void onAdd(Pod pod) {
                    loop.add(key(pod));
                  }

                  @Override
                  public void onUpdate(Pod old, Pod pod) {
                    loop.add(key(pod));
                  }

                  @Override
                  public void onDelete(Pod pod, boolean unknown) {
                    loop.add(key(pod));
                  }
                },
                RESYNC_MILLIS);
    return this;
  }

  /**
   * The log of a pod this kubelet runs: its program's output for a workload pod (empty for an app
   * pod, which has no program); empty too for a pod it does not run (see {@link #findPodLog}).
   */
  public String podLog(String namespace, String name) {
    return findPodLog(namespace, name).orElse("");
  }

  /**
   * The log of a pod this kubelet runs, or none for any other pod (what {@link PodLogDispatcher}
   * asks).
   */
  public Optional<String> findPodLog(String namespace, String name) {
    return Optional.ofNullable(runtimes.get(namespace + "/" + name)).map(PodRuntime::log);
  }

  private static String key(Pod pod) {
    return pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName();
  }

  private Optional<Duration> reconcile(String key) {
    String[] parts = key.split("/", 2);
    Pod pod = client.pods().inNamespace(parts[0]).withName(parts[1]).get();
    PodRuntime runtime = runtimes.get(key);
    if (runtime != null && (pod == null || !runtime.uid.equals(pod.getMetadata().getUid()))) {
      teardown.tearDown(
          key, runtime); // deleted behind our back (no finalizer), or replaced by a namesake
      return Optional.of(Duration.ZERO);
    }
    if (pod == null || !mine(pod)) {
      return done();
    }
    if (pod.getMetadata().getDeletionTimestamp() != null) {
      finishDeletion(key, pod);
      return done();
    }
    if (isBlank(pod.getSpec().getNodeName()) || !hasFinalizer(pod)) {
      take(pod);
      return done(); // the update brings the pod back
    }
    if (PodStatuses.terminal(pod)) {
      PodRuntime finished = teardown.adopt(key, pod);
      if (!finished.programRunning()) {
        teardown.unpublishAll(finished); // kubelet tears down the volumes of a finished pod
      }
      return done();
    }
    return run(key, pod);
  }

  private boolean mine(Pod pod) {
    String nodeName = pod.getSpec() == null ? null : pod.getSpec().getNodeName();
    return isBlank(nodeName) || nodes.stream().anyMatch(n -> n.id().equals(nodeName));
  }

  /**
   * Schedules the pod on the first node (there is no scheduler) and holds it with the finalizer.
   */
  private void take(Pod pod) {
    edit(
        pod,
        p -> {
          PodBuilder b = new PodBuilder(p);
          if (isBlank(p.getSpec().getNodeName())) {
            b.editSpec().withNodeName(nodes.get(0).id()).endSpec();
          }
          if (!hasFinalizer(p)) {
            b.editMetadata().addToFinalizers(FINALIZER).endMetadata();
          }
          return b.build();
        });
  }

  private Optional<Duration> run(String key, Pod pod) {
    String nodeId = pod.getSpec().getNodeName();
    String hostIp = address(nodeId);
    boolean workload = isWorkload(pod);
    if (!runtimes.containsKey(key)
        && "Running".equals(PodStatuses.phase(pod))
        && (workload || "Never".equals(pod.getSpec().getRestartPolicy()))) {
      // running before this kubelet knew it: its container died with a previous kubelet (the
      // site went down) and, restartPolicy Never, is not started again, as after a node restart;
      // its volumes are unpublished once the pod is reported finished
      teardown.adopt(key, pod);
      lost(pod);
      return done();
    }
    PodRuntime runtime =
        runtimes.computeIfAbsent(key, k -> new PodRuntime(pod.getMetadata().getUid(), nodeId));
    for (Volume volume : PodVolumes.claimVolumes(pod)) {
      if (runtime.mounted.containsKey(volume.getName())) {
        continue;
      }
      String claim = volume.getPersistentVolumeClaim().getClaimName();
      PersistentVolume pv = PodVolumes.boundVolume(client, pod.getMetadata().getNamespace(), claim);
      if (pv == null) {
        String message = "waiting for PVC " + claim + " to be bound";
        pending(pod, hostIp, "WaitingForVolume", message);
        return Optional.of(timeouts.of(TimeoutOperation.POLL));
      }
      boolean readOnly = Boolean.TRUE.equals(volume.getPersistentVolumeClaim().getReadOnly());
      try {
        runtime.mounted.put(
            volume.getName(), mounts.mount(nodeId, runtime.uid, volume.getName(), pv, readOnly));
      } catch (VolumeMounts.MountException e) {
        pending(pod, hostIp, "ContainersNotReady", e.getMessage());
        events.warning(pod, "FailedMount", e.getMessage());
        throw e; // retried with backoff
      }
    }
    if (runtime.started) {
      return done();
    }
    runtime.started = true;
    if (workload) {
      status(pod, WorkloadPods.running(Instant.now()).toBuilder().withHostIP(hostIp).build());
      VolumeMounts.Mounted data = PodVolumes.dataVolume(pod, runtime);
      VolumeMounts.Mounted paired = PodVolumes.pairedVolume(pod, runtime);
      runtime.program =
          WorkloadProgram.start(
              client,
              pod,
              runtime,
              data == null ? null : data.target(),
              paired == null ? null : paired.target(),
              timeouts.of(TimeoutOperation.RPC),
              outcome -> ended(pod, outcome));
    } else {
      status(pod, PodStatuses.running(pod, hostIp, Instant.now()));
    }
    return done();
  }

  private void ended(Pod pod, WorkloadCommand.Outcome outcome) {
    if (closed) {
      // the kubelet went down (with its site, or the lab): so did the container, and nothing is
      // left to report how it ended; the next kubelet finds the pod Running and fails it (lost)
      return;
    }
    status(pod, WorkloadPods.terminated(outcome, Instant.now()));
    loop.add(key(pod));
  }

  private void lost(Pod pod) {
    String message = "the lab's kubelet restarted: the container died with the previous one";
    status(
        pod,
        new PodStatusBuilder(
                WorkloadPods.terminated(
                    new WorkloadCommand.Outcome(1, TerminationMessage.error("run", message)),
                    Instant.now()))
            .withReason(LOST_REASON)
            .withMessage(message + " (restartPolicy Never)")
            .build());
    loop.add(key(pod));
  }

  private void pending(Pod pod, String hostIp, String reason, String message) {
    if (!"Pending".equals(PodStatuses.phase(pod))
        || !message.equals(PodStatuses.readyMessage(pod))) {
      status(pod, PodStatuses.pending(pod, hostIp, reason, message));
      if (reason.equals("WaitingForVolume")) {
        events.warning(pod, "FailedScheduling", message);
      }
    }
  }

  /** A deleted pod: stop its program, unpublish, then let it go (grace period over). */
  private void finishDeletion(String key, Pod pod) {
    teardown.tearDown(key, teardown.adopt(key, pod));
    if (hasFinalizer(pod)) {
      edit(
          pod,
          p ->
              new PodBuilder(p)
                  .editMetadata()
                  .removeFromFinalizers(FINALIZER)
                  .endMetadata()
                  .build());
    }
    Pod left =
        client
            .pods()
            .inNamespace(pod.getMetadata().getNamespace())
            .withName(pod.getMetadata().getName())
            .get();
    if (left != null
        && left.getMetadata().getUid().equals(pod.getMetadata().getUid())
        && (left.getMetadata().getFinalizers() == null
            || left.getMetadata().getFinalizers().isEmpty())) {
      client.pods().resource(left).withGracePeriod(0).delete();
    }
  }

  private void status(Pod pod, PodStatus status) {
    try {
      client
          .pods()
          .inNamespace(pod.getMetadata().getNamespace())
          .withName(pod.getMetadata().getName())
          .editStatus(p -> new PodBuilder(p).withStatus(status).build());
    } catch (KubernetesClientException e) {
      if (e.getCode() != 404) {
        throw e;
      }
    }
  }

  private void edit(Pod pod, UnaryOperator<Pod> change) {
    client
        .pods()
        .inNamespace(pod.getMetadata().getNamespace())
        .withName(pod.getMetadata().getName())
        .edit(change);
  }

  private String address(String nodeId) {
    return nodes.stream()
        .filter(n -> n.id().equals(nodeId))
        .map(NodeSpec::address)
        .findFirst()
        .orElse(null);
  }

  private static boolean isWorkload(Pod pod) {
    var labels = pod.getMetadata().getLabels();
    return labels != null && labels.containsKey(WorkloadPods.LABEL_WORKLOAD);
  }

  private static boolean hasFinalizer(Pod pod) {
    var finalizers = pod.getMetadata().getFinalizers();
    return finalizers != null && finalizers.contains(FINALIZER);
  }

  private static boolean isBlank(String s) {
    return s == null || s.isEmpty();
  }

  private static Optional<Duration> done() {
    return Optional.empty();
  }

  @Override
  public synchronized void close() {
    closed = true;
    if (informer != null) {
      informer.close();
    }
    if (loop != null) {
      loop.close();
    }
    // the lab or the site is going away: programs are interrupted, as containers are killed
    for (PodRuntime runtime : runtimes.values()) {
      if (runtime.program != null) {
        runtime.program.interrupt();
      }
    }
    try {
      for (PodRuntime runtime : runtimes.values()) {
        if (runtime.program != null) {
          runtime.program.join(TimeUnit.SECONDS.toMillis(5));
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
