package dev.replcert.harness.workload.pod;

import dev.replcert.harness.config.TimeoutOperation;
import dev.replcert.harness.workload.TerminationMessage;
import dev.replcert.harness.workload.WorkloadCommand;
import dev.replcert.harness.workload.WorkloadException;
import dev.replcert.harness.workload.WriterHandle;
import dev.replcert.harness.workload.WriterProgress;
import dev.replcert.harness.workload.WriterReport;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A writer pod: progress from its log, stop by annotation, the report from its termination. */
final class PodWriterHandle implements WriterHandle {

  private static final Logger LOG = LoggerFactory.getLogger(PodWriterHandle.class);
  private static final int TAIL_LINES = 20;

  private final PodWorkloads workloads;
  private final String namespace;
  private final String name;
  private final WorkloadCommand command;
  // false for a pod someone else owns (a ManifestWork would only recreate it)
  private final boolean deleteWhenStopped;
  private WriterReport lastSeen;
  private WriterReport finalReport;

  PodWriterHandle(PodWorkloads workloads, String namespace, String name, WorkloadCommand command) {
    this(workloads, namespace, name, command, true);
  }

  PodWriterHandle(
      PodWorkloads workloads,
      String namespace,
      String name,
      WorkloadCommand command,
      boolean deleteWhenStopped) {
    this.deleteWhenStopped = deleteWhenStopped;
    this.workloads = workloads;
    this.namespace = namespace;
    this.name = name;
    this.command = command;
    long first = command.firstSequence();
    this.lastSeen =
        new WriterReport(
            command.recordRunId(),
            first,
            first - 1,
            first - 1,
            null,
            null,
            null,
            WriterReport.StopReason.RUNNING);
  }

  /**
   * The last lines of the workload container's log, by a plain GET of the log endpoint. Not
   * fabric8's {@code getLog()}: that first watches the pod until it is ready or terminal, and
   * closing that watch can stall the fabric8 mock server's event loop for up to a minute.
   */
  private String tailOfLog() {
    String url =
        workloads.client().getMasterUrl().toString().replaceAll("/+$", "")
            + "/api/v1/namespaces/"
            + namespace
            + "/pods/"
            + name
            + "/log?container="
            + WorkloadPods.CONTAINER
            + "&tailLines="
            + TAIL_LINES;
    return workloads.client().raw(url);
  }

  @Override
  public String runId() {
    return command.runId();
  }

  @Override
  public String describe() {
    return "writer pod "
        + PodWorkloads.ref(namespace, name)
        + " at "
        + workloads.client().getMasterUrl();
  }

  @Override
  public synchronized WriterReport progress() {
    if (finalReport != null) {
      return finalReport;
    }
    try {
      Pod pod = workloads.client().pods().inNamespace(namespace).withName(name).get();
      if (PodStatusText.terminated(pod)
          && workloads.result(namespace, name, pod, "reading progress")
              instanceof TerminationMessage.Written written) {
        lastSeen = written.report();
        return lastSeen;
      }
      String log = tailOfLog();
      Optional<WriterReport> seen = log == null ? Optional.empty() : WriterProgress.last(log);
      seen.filter(r -> r.lastAcked() >= lastSeen.lastAcked()).ifPresent(r -> lastSeen = r);
    } catch (KubernetesClientException e) {
      LOG.debug(
          "progress of {}: API unavailable, last seen {}: {}",
          describe(),
          lastSeen,
          e.getMessage());
    } catch (WorkloadException e) {
      // the program failed; stop() reports it
      LOG.debug("progress of {}: {}", describe(), e.getMessage());
    }
    return lastSeen;
  }

  @Override
  public synchronized WriterReport stop() {
    if (finalReport != null) {
      return finalReport;
    }
    String ref = PodWorkloads.ref(namespace, name);
    try {
      workloads
          .client()
          .pods()
          .inNamespace(namespace)
          .withName(name)
          .patch(
              PatchContext.of(PatchType.JSON_MERGE),
              "{\"metadata\":{\"annotations\":{\""
                  + WorkloadPods.STOP_ANNOTATION
                  + "\":\"true\"}}}");
    } catch (KubernetesClientException e) {
      throw new WorkloadException(
          "pod " + ref,
          "stopping the writer",
          "cannot annotate the pod: " + e.getMessage() + "; last progress " + lastSeen,
          null,
          e);
    }
    Pod ended =
        workloads.awaitPod(
            namespace,
            name,
            "waiting for the writer to stop",
            TimeoutOperation.WORKLOAD_STOP,
            PodStatusText::terminated);
    TerminationMessage result = workloads.result(namespace, name, ended, "stopping the writer");
    if (!(result instanceof TerminationMessage.Written written)) {
      throw new WorkloadException(
          "pod " + ref,
          "stopping the writer",
          "the writer reported " + result,
          PodStatusText.describe(ended));
    }
    finalReport = written.report();
    lastSeen = finalReport;
    if (deleteWhenStopped) {
      workloads.delete(namespace, name);
    }
    LOG.info(
        "writer pod {} stopped: acknowledged #{}..#{} ({})",
        ref,
        finalReport.firstSequence(),
        finalReport.lastAcked(),
        finalReport.stoppedBecause());
    return finalReport;
  }

  @Override
  public String toString() {
    return describe();
  }
}
