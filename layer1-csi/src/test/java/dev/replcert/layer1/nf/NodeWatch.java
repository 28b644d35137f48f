package dev.replcert.layer1.nf;

import dev.replcert.harness.config.TimeoutOperation;
import dev.replcert.harness.workload.WriterHandle;
import dev.replcert.harness.workload.WriterReport;
import dev.replcert.layer1.kube.KubeSite;
import dev.replcert.layer1.kube.Stays;
import dev.replcert.harness.kube.Waits;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Duration;
import java.util.List;

/**
 * What a node's pods show while its address is fenced or not: a writer that can or cannot get its
 * writes acknowledged, a pod that cannot mount its claim. Every wait prints what it saw last.
 */
final class NodeWatch {

  private final KubeSite site;
  private final Waits waits;
  /** Long enough for any healthy writer to acknowledge several records. */
  private final Duration stall;

  NodeWatch(KubeSite site, Waits waits, int writesPerSecond) {
    this.site = site;
    this.waits = waits;
    Duration poll = waits.timeout(TimeoutOperation.POLL);
    Duration tenRecords = Duration.ofMillis(10_000L / Math.max(1, writesPerSecond));
    this.stall = (tenRecords.compareTo(poll) > 0 ? tenRecords : poll).multipliedBy(10);
  }

  /**
   * The writer acknowledges {@code records} more records than in {@code from} (from its start when
   * null); a writer that stops before fails the test.
   */
  WriterReport mustWrite(WriterHandle writer, WriterReport from, int records) {
    long target = (from == null ? writer.progress().firstSequence() - 1 : from.lastAcked()) + records;
    WriterReport seen = waits.until(writer.describe() + " acknowledges records up to #" + target,
        TimeoutOperation.POD_START, writer::progress,
        r -> r.lastAcked() >= target || r.stoppedBecause() != WriterReport.StopReason.RUNNING);
    if (seen.lastAcked() < target) {
      throw new AssertionError(writer.describe() + " on " + site + " had to acknowledge records up to #" + target
          + " but stopped: " + seen);
    }
    return seen;
  }

  /**
   * The writer gets no write acknowledged any more: it ended with a write failure (storage that
   * refuses fenced I/O), or, where fenced I/O blocks instead, its last acknowledged record stays
   * the same for the whole stall window. Limited by the fence timeout.
   */
  WriterReport awaitCutOff(WriterHandle writer) {
    WriterReport ended = waits.until(writer.describe() + " gets no write acknowledged any more (ended, or no"
            + " acknowledgement for " + stall + ")", TimeoutOperation.FENCE,
        new StallDetector(writer, stall)::observe, StallDetector.Seen::cutOff).report();
    Stays.assertHolds(writer.describe() + " acknowledges nothing after #" + ended.lastAcked(), stall,
        waits.timeout(TimeoutOperation.POLL), writer::progress, r -> r.lastAcked() == ended.lastAcked());
    return ended;
  }

  /**
   * A pod that cannot mount its claim: a FailedMount event names it while it is not running.
   * Returns the event's message.
   */
  String awaitFailedMount(String pod) {
    return waits.until("pod " + site + "/" + pod + " has a FailedMount event and is not running",
        TimeoutOperation.FENCE, () -> new PodSeen(pod(pod), failedMounts(pod)),
        seen -> !seen.events().isEmpty() && !seen.running()).events().get(0);
  }

  /** The pod stays not running for the stall window. */
  void assertStaysNotRunning(String pod) {
    Stays.assertHolds("pod " + site + "/" + pod + " does not run", stall, waits.timeout(TimeoutOperation.POLL),
        () -> new PodSeen(pod(pod), failedMounts(pod)), seen -> !seen.running());
  }

  private Pod pod(String name) {
    return site.client().pods().inNamespace(site.namespace()).withName(name).get();
  }

  private List<String> failedMounts(String pod) {
    return site.client().v1().events().inNamespace(site.namespace()).list().getItems().stream()
        .filter(e -> e.getInvolvedObject() != null && pod.equals(e.getInvolvedObject().getName()))
        .filter(e -> "FailedMount".equals(e.getReason()))
        .map(Event::getMessage)
        .toList();
  }

  /** A pod and its FailedMount events, as a wait prints them. */
  private record PodSeen(Pod pod, List<String> events) {
    boolean running() {
      return pod != null && pod.getStatus() != null && "Running".equals(pod.getStatus().getPhase());
    }

    @Override
    public String toString() {
      return pod == null
          ? "no such pod"
          : "phase " + (pod.getStatus() == null ? null : pod.getStatus().getPhase()) + " on node "
              + pod.getSpec().getNodeName() + ", FailedMount events " + events;
    }
  }

  /** Polls a writer and remembers since when its last acknowledged record has not changed. */
  private static final class StallDetector {
    private final WriterHandle writer;
    private final Duration stall;
    private long lastAcked = Long.MIN_VALUE;
    private long since;

    StallDetector(WriterHandle writer, Duration stall) {
      this.writer = writer;
      this.stall = stall;
    }

    Seen observe() {
      WriterReport report = writer.progress();
      long now = System.nanoTime();
      if (report.lastAcked() != lastAcked) {
        lastAcked = report.lastAcked();
        since = now;
      }
      return new Seen(report, Duration.ofNanos(now - since), stall);
    }

    record Seen(WriterReport report, Duration unchanged, Duration stall) {
      boolean cutOff() {
        return report.stoppedBecause() == WriterReport.StopReason.WRITE_FAILED
            || report.stoppedBecause() == WriterReport.StopReason.RUNNING && unchanged.compareTo(stall) >= 0;
      }

      @Override
      public String toString() {
        return report + ", last acknowledgement unchanged for " + unchanged;
      }
    }
  }
}
