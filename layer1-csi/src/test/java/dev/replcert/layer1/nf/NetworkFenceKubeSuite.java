package dev.replcert.layer1.nf;

import static org.assertj.core.api.Assertions.assertThat;

import dev.replcert.api.k8s.CsiAddons;
import dev.replcert.harness.config.Capability;
import dev.replcert.harness.config.CertificationConfig;
import dev.replcert.harness.config.TimeoutOperation;
import dev.replcert.harness.junit.Certification;
import dev.replcert.harness.junit.PlanItem;
import dev.replcert.harness.junit.RequiresCapability;
import dev.replcert.harness.record.Evidence;
import dev.replcert.harness.spi.Environment;
import dev.replcert.harness.track.ResourceTracker;
import dev.replcert.harness.workload.Verification;
import dev.replcert.harness.workload.WriterHandle;
import dev.replcert.harness.workload.WriterReport;
import dev.replcert.layer1.kube.FenceStatus;
import dev.replcert.layer1.kube.KubeFixture;
import dev.replcert.layer1.kube.KubeSite;
import dev.replcert.harness.kube.WorkerNode;
import io.openshift.csiaddons.v1alpha1.NetworkFenceSpec.FenceState;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * NetworkFence as csi-addons drives it, seen from the pods: fencing one worker node's address
 * succeeds and that node's pods lose their volumes while another node's keep writing; unfencing
 * succeeds and the node writes again, with what it wrote before the fence intact. The node and its
 * address come from the cluster's Node objects.
 */
@Certification
class NetworkFenceKubeSuite {

  private static final int RECORDS = 20;

  private KubeFixture kube;
  private KubeSite east;
  private NodeWatch watch;
  private WorkerNode fenced;
  private Optional<WorkerNode> other;

  @BeforeEach
  void connect(TestInfo test, Environment environment, CertificationConfig config, ResourceTracker tracker,
      Evidence evidence) {
    kube = new KubeFixture(KubeFixture.plan(test), environment, config, tracker, evidence);
    east = kube.east();
    watch = new NodeWatch(east, kube.waits(), config.workload().writesPerSecond());
    List<WorkerNode> nodes = east.nodes();
    Assumptions.assumeFalse(nodes.isEmpty(), "cluster east has no schedulable node with an InternalIP to fence");
    // the last node: in clusters that put pods without a node (verifiers) on the first, they land elsewhere
    fenced = nodes.get(nodes.size() - 1);
    other = nodes.size() > 1 ? Optional.of(nodes.get(0)) : Optional.empty();
    evidence.attach("nodes", "fenced " + fenced + " (" + fenced.cidr() + "), other " + other.orElse(null));
  }

  @Test
  @PlanItem("L1-NF-001")
  @RequiresCapability(Capability.NETWORK_FENCE)
  void aFencedNodeLosesItsVolumesWhileAnotherNodeKeepsWriting() {
    east.claims().mustCreate("fenced");
    east.claims().mustCreate("late");
    WriterHandle cut = east.startWriterOn(fenced, "fenced", "nf-001-fenced", 0);
    Optional<WriterHandle> free = other.map(node -> {
      east.claims().mustCreate("other");
      return east.startWriterOn(node, "other", "nf-001-other", 0);
    });
    watch.mustWrite(cut, null, RECORDS);

    String fence = east.fences().create("nf-001", FenceState.FENCED, List.of(fenced.cidr()));
    FenceStatus result = east.fences().awaitFenced(fence);
    kube.evidence().attach("NetworkFence fenced", result.toString());

    WriterReport cutOff = watch.awaitCutOff(cut);
    kube.evidence().attach("writer on the fenced node", cutOff.toString());
    String late = east.submitWriterOn(fenced, "late", "nf-001-late", 0);
    kube.evidence().attach("new pod on the fenced node", watch.awaitFailedMount(late));
    watch.assertStaysNotRunning(late);

    free.ifPresentOrElse(this::assertKeepsWriting, () -> kube.evidence().attach("other node",
        "cluster east has a single node, so no pod on another node was shown to keep writing"));
  }

  /** A fence of one node's address must not cut off another node's pods. */
  private void assertKeepsWriting(WriterHandle writer) {
    watch.mustWrite(writer, writer.progress(), RECORDS);
    WriterReport done = writer.stop();
    assertThat(done.failure()).as("the writer on %s while %s is fenced: %s", other.get(), fenced, done).isNull();
  }

  @Test
  @PlanItem("L1-NF-002")
  @RequiresCapability(Capability.NETWORK_FENCE)
  void anUnfencedNodeWritesAgainAndKeepsWhatItWroteBeforeTheFence() {
    east.claims().mustCreate("data");
    WriterHandle before = east.startWriterOn(fenced, "data", "nf-002", 0);
    watch.mustWrite(before, null, RECORDS);
    String fence = east.fences().create("nf-002", FenceState.FENCED, List.of(fenced.cidr()));
    east.fences().awaitFenced(fence);
    watch.awaitCutOff(before);

    east.fences().setState(fence, FenceState.UNFENCED);
    FenceStatus unfenced = east.fences().awaitUnfenced(fence);
    kube.evidence().attach("NetworkFence unfenced", unfenced.toString());
    // stopped (and its volume unpublished) only now: storage that blocks fenced I/O may hold it till here
    WriterReport beforeFence = before.stop();
    WriterHandle after = east.startWriterOn(fenced, "data", "nf-002", beforeFence.lastAcked() + 1);
    watch.mustWrite(after, null, RECORDS);
    WriterReport afterUnfence = after.stop();
    assertThat(afterUnfence.failure()).as("a new pod on %s once unfenced: %s", fenced, afterUnfence).isNull();

    Verification found = east.verify("data", "nf-002");
    kube.evidence().attach("verification after unfence", found.describe(afterUnfence));
    assertThat(found.isPrefixOf(afterUnfence) && found.lostRecords(afterUnfence) == 0)
        .as("PVC data must hold every record acknowledged before the fence (#0..#%d) and after it (to #%d): %s",
            beforeFence.lastAcked(), afterUnfence.lastAcked(), found.describe(afterUnfence))
        .isTrue();

    assertThat(unfenced.finalizers()).as("NetworkFence before deletion: %s", unfenced)
        .contains(CsiAddons.NETWORK_FENCE_FINALIZER);
    east.fences().delete(fence);
    east.fences().await(fence, "is gone (its finalizer removed)", TimeoutOperation.CLEANUP, f -> !f.exists());
  }
}
