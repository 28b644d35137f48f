package dev.replcert.layer1.kube;

import dev.replcert.harness.kube.Claims;
import dev.replcert.harness.kube.DriverClasses;
import dev.replcert.harness.kube.WorkerNode;
import dev.replcert.harness.kube.KubeResources;
import dev.replcert.harness.config.CertificationConfig;
import dev.replcert.harness.config.TimeoutOperation;
import dev.replcert.harness.config.VolumeMode;
import dev.replcert.harness.track.ResourceTracker;
import dev.replcert.harness.workload.Verification;
import dev.replcert.harness.workload.WriterHandle;
import dev.replcert.harness.workload.WriterReport;
import dev.replcert.harness.workload.pod.PodWorkloads;
import dev.replcert.harness.kube.Waits;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;

/**
 * One managed cluster as a Kubernetes test uses it: the test's namespace there (created first,
 * deleted last), the driver's classes, claims, VolumeReplications and workload pods, all through
 * the tracking client.
 */
public final class KubeSite {

  /** Label on every namespace a test creates, so leftovers can be found. */
  public static final String TEST_LABEL = "replcert.dev/test";

  private final KubeResources resources;
  private final String namespace;
  private final DriverClasses classes;
  private final Claims claims;
  private final Replications replications;
  private final GroupReplications groups;
  private final Fences fences;
  private final PodWorkloads workloads;
  private final VolumeMode mode;
  private final Waits waits;

  KubeSite(String site, KubernetesClient client, String namespace, String test, CertificationConfig config,
      ResourceTracker tracker, Waits waits) {
    this.resources = new KubeResources(site, client, tracker, waits);
    this.namespace = namespace;
    resources.create(new NamespaceBuilder()
        .withNewMetadata().withName(namespace).addToLabels(TEST_LABEL, test).endMetadata()
        .build());
    this.classes = new DriverClasses(resources, config, namespace);
    this.claims = new Claims(resources, classes, namespace, config.driver().volume(), config.driver().name(), waits);
    this.replications = new Replications(
        resources, classes, namespace, waits, config.timeoutProfile().of(TimeoutOperation.POLL));
    this.groups = new GroupReplications(resources, classes, namespace, waits);
    this.fences = new Fences(resources, classes, waits);
    // the namespace names the pods' run: unique per test, and what a sweeper looks for
    this.workloads = new PodWorkloads(client, config.workload(), config.timeoutProfile(), tracker, namespace);
    this.mode = config.driver().volume().mode();
    this.waits = waits;
  }

  public String site() {
    return resources.site();
  }

  public String namespace() {
    return namespace;
  }

  public KubernetesClient client() {
    return resources.client();
  }

  public KubeResources resources() {
    return resources;
  }

  public DriverClasses classes() {
    return classes;
  }

  public Claims claims() {
    return claims;
  }

  public Replications replications() {
    return replications;
  }

  public GroupReplications groups() {
    return groups;
  }

  public Fences fences() {
    return fences;
  }

  /** The cluster's schedulable nodes with an InternalIP, by name. */
  public List<WorkerNode> nodes() {
    return WorkerNode.of(client());
  }

  /** A writer pod bound to the node, on the claim, for the data run. */
  public WriterHandle startWriterOn(WorkerNode node, String claim, String dataRun, long firstSequence) {
    return workloads.onNode(node.name()).continueWriter(namespace, claim, mode, dataRun, firstSequence);
  }

  /** A writer pod bound to the node, created without waiting for it to run; returns its name. */
  public String submitWriterOn(WorkerNode node, String claim, String dataRun, long firstSequence) {
    return workloads.onNode(node.name()).submitWriter(namespace, claim, mode, dataRun, firstSequence);
  }

  /** A writer pod on the claim (cert.yaml's volume mode), for the data run. */
  public WriterHandle startWriter(String claim, String dataRun, long firstSequence) {
    return workloads.continueWriter(namespace, claim, mode, dataRun, firstSequence);
  }

  /**
   * An application that writes and stops: a writer pod runs until it has acknowledged {@code
   * records} records (within the pod-start limit), then is stopped and deleted, so the claim is
   * free again. Returns the writer's final report; a writer that failed fails the test.
   */
  public WriterReport write(String claim, String dataRun, long firstSequence, int records) {
    WriterHandle writer = startWriter(claim, dataRun, firstSequence);
    waits.until(
        writer.describe() + " acknowledged " + records + " records",
        TimeoutOperation.POD_START,
        writer::progress,
        report -> report.ackedCount() >= records || report.failure() != null
            || report.stoppedBecause() != WriterReport.StopReason.RUNNING);
    WriterReport written = writer.stop();
    if (written.failure() != null || written.ackedCount() < records) {
      throw new AssertionError(writer.describe() + " on " + this + " had to write " + records
          + " records to PVC " + claim + " and be stopped, but: " + written);
    }
    return written;
  }

  /** A verifier pod: what the claim holds of the data run. */
  public Verification verify(String claim, String dataRun) {
    return workloads.verify(namespace, claim, mode, dataRun);
  }

  @Override
  public String toString() {
    return site() + "/" + namespace;
  }
}
