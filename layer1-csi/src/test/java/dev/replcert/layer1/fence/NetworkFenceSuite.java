package dev.replcert.layer1.fence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.replcert.api.csi.v1.NodeStageVolumeRequest;
import dev.replcert.api.csi.v1.NodeUnpublishVolumeRequest;
import dev.replcert.api.csi.v1.NodeUnstageVolumeRequest;
import dev.replcert.harness.config.Capability;
import dev.replcert.harness.config.CertificationConfig;
import dev.replcert.harness.config.TimeoutOperation;
import dev.replcert.harness.junit.Certification;
import dev.replcert.harness.junit.PlanItem;
import dev.replcert.harness.junit.RequiresCapability;
import dev.replcert.harness.junit.Site;
import dev.replcert.harness.record.Evidence;
import dev.replcert.harness.spi.DriverEndpoint;
import dev.replcert.harness.track.ResourceTracker;
import dev.replcert.harness.volume.PublishedVolume;
import dev.replcert.harness.volume.VolumeIo;
import dev.replcert.harness.workload.RecordFormat;
import dev.replcert.harness.workload.RecordWriter;
import dev.replcert.harness.workload.Verification;
import dev.replcert.harness.workload.WriterReport;
import dev.replcert.layer1.support.VolumeWindow;
import dev.replcert.harness.kube.Names;
import dev.replcert.layer1.support.NetworkFences;
import dev.replcert.layer1.support.RecordChecks;
import dev.replcert.layer1.support.RpcCalls;
import dev.replcert.layer1.support.SiteDriver;
import dev.replcert.harness.kube.Waits;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Network fencing (csi-addons fence.FenceController) of the node the harness publishes volumes on:
 * a fenced client can neither write nor publish, ListClusterFence reports the fence, and unfencing
 * restores access. Every fence is lifted again at cleanup.
 */
@Certification
class NetworkFenceSuite {

  private SiteDriver east;
  private NetworkFences fences;
  private Waits waits;
  private CertificationConfig config;
  private ResourceTracker tracker;
  private Evidence evidence;

  @BeforeEach
  void connect(
      @Site("east") DriverEndpoint endpoint,
      CertificationConfig config,
      ResourceTracker tracker,
      Evidence evidence) {
    this.east = new SiteDriver(endpoint, config, tracker, evidence);
    this.fences = new NetworkFences(east, tracker);
    this.waits = new Waits(config.timeoutProfile());
    this.config = config;
    this.tracker = tracker;
    this.evidence = evidence;
  }

  @Test
  @PlanItem("L1-FENCE-001")
  @RequiresCapability({Capability.NETWORK_FENCE, Capability.NODE_DATA_PATH})
  void fencedClientsCannotWriteOrPublishAndListClusterFenceReportsThem() {
    WritingNode node = writingNode("fence");
    String unrelated = NetworkFences.unrelatedRange(node.cidrs());
    fences.mustFence(List.of(unrelated));
    long acked = node.writer().report().lastAcked();
    WriterReport after =
        waits.until("the node keeps writing after FenceClusterNetwork of " + unrelated + " only",
            TimeoutOperation.FENCE, node.writer()::report, r -> r.lastAcked() >= acked + 5 || r.failure() != null);
    assertThat(after.failure())
        .as("fencing %s, which holds none of the node's addresses %s, must not stop its writes", unrelated, node.cidrs())
        .isNull();

    WriterReport refused = fenceAndAwaitRefusal(node);
    evidence.attach("write refused by the fence", refused.failure().toString());
    StatusRuntimeException publish = publishRefusal(node.spareVolume(), node.spareStaging());
    evidence.attach("publish refused by the fence", publish.getStatus().toString());

    List<String> fenced = node.cidrs().stream().map(NetworkFences::canonical).toList();
    assertThat(fences.mustList())
        .as("east: ListClusterFence after FenceClusterNetwork(%s)", node.cidrs())
        .containsAll(fenced);
    fences.mustFence(node.cidrs());
    assertThat(fences.mustList())
        .as("east: ListClusterFence after fencing %s a second time lists each range once", node.cidrs())
        .filteredOn(fenced::contains)
        .hasSameSizeAs(fenced);
  }

  @Test
  @PlanItem("L1-FENCE-002")
  @RequiresCapability({Capability.NETWORK_FENCE, Capability.NODE_DATA_PATH})
  void unfenceClusterNetworkRestoresAccessForTheUnfencedClients() {
    WritingNode node = writingNode("unfence");
    WriterReport beforeFence = fenceAndAwaitRefusal(node);

    fences.mustUnfence(node.cidrs());
    List<String> fenced = node.cidrs().stream().map(NetworkFences::canonical).toList();
    assertThat(fences.mustList())
        .as("east: ListClusterFence after UnfenceClusterNetwork(%s)", node.cidrs())
        .doesNotContainAnyElementsOf(fenced);
    waits.until("writes from the node " + node.cidrs() + " are acknowledged again after UnfenceClusterNetwork"
            + " (unfence must restore access)",
        TimeoutOperation.UNFENCE, () -> writeAgain(node, beforeFence), written -> true);

    Path target =
        RpcCalls.must(east.site(), "NodePublishVolume " + node.spareVolume() + " after unfence",
            () -> publish(node.spareVolume(), node.spareStaging()));
    VolumeIo spare = VolumeWindow.of(open(target));
    RecordWriter writer = RecordWriter.builder(spare, UUID.randomUUID()).format(format()).build();
    writer.writeRecords(8);
    Verification onSpare = RecordChecks.verify(spare, format(), writer.runId(), writer.report().lastAttempted());
    assertThat(onSpare.isPrefixOf(writer.report()) && onSpare.lostRecords(writer.report()) == 0)
        .as("a volume published after unfence must take writes again: %s", onSpare.describe(writer.report()))
        .isTrue();

    Verification kept = RecordChecks.verify(node.volume(), format(), beforeFence.runId(), beforeFence.lastAttempted());
    assertThat(kept.isPrefixOf(beforeFence) && kept.lostRecords(beforeFence) == 0)
        .as("the records written before the fence must be intact after unfence: %s", kept.describe(beforeFence))
        .isTrue();
    fences.mustUnfence(node.cidrs());
  }

  // ---------------------------------------------------------------- steps

  /**
   * A volume published on the harness node with a writer running, the node's client ranges, and a
   * spare volume staged on the node (its publish is what a fence must refuse).
   */
  private record WritingNode(
      List<String> cidrs, VolumeIo volume, RecordWriter writer, String spareVolume, Path spareStaging) {}

  private WritingNode writingNode(String what) {
    List<String> cidrs = fences.harnessNodeCidrs();
    String id = east.mustCreateVolume(Names.unique(what));
    String spare = east.mustCreateVolume(Names.unique(what + "-spare"));
    Path spareStaging = stage(spare);
    VolumeIo volume = VolumeWindow.of(east.mustPublish(id, false));
    RecordWriter writer =
        RecordWriter.builder(volume, UUID.randomUUID())
            .format(format())
            .recordsPerSecond(config.workload().writesPerSecond())
            .build();
    tracker.track("writer " + writer.runId(), writer::stop);
    writer.start();
    waits.until("the node writes volume " + id + " before any fence", TimeoutOperation.RPC,
        writer::report, r -> r.lastAcked() >= 4 || r.failure() != null);
    assertThat(writer.report().failure()).as("the writer on volume %s before any fence", id).isNull();
    return new WritingNode(cidrs, volume, writer, spare, spareStaging);
  }

  /** Fences the node's ranges; returns the writer's report once a write was refused. */
  private WriterReport fenceAndAwaitRefusal(WritingNode node) {
    fences.mustFence(node.cidrs());
    WriterReport refused =
        waits.until("writes from the node " + node.cidrs() + " are refused after FenceClusterNetwork"
                + " (a fenced client cannot use its volumes)",
            TimeoutOperation.FENCE, node.writer()::report, r -> r.failure() != null);
    evidence.measure("fence.refusedAfter.records", refused.lastAttempted() - refused.lastAcked(), "records");
    return node.writer().stop();
  }

  /** One more record of the fenced run, through the handle published before the fence. */
  private WriterReport writeAgain(WritingNode node, WriterReport beforeFence) {
    RecordWriter writer =
        RecordWriter.builder(node.volume(), beforeFence.runId())
            .format(format())
            .firstSequence(beforeFence.lastAcked() + 1)
            .build();
    writer.writeRecords(1);
    return writer.report();
  }

  /** NodePublish of a staged volume on the fenced node must fail; returns the refusal. */
  private StatusRuntimeException publishRefusal(String volumeId, Path staging) {
    try {
      Path target = publish(volumeId, staging);
      return fail("east: NodePublishVolume of %s on the fenced node succeeded (target %s); a fenced client"
          + " must not be able to publish", volumeId, target);
    } catch (StatusRuntimeException refused) {
      return refused;
    }
  }

  /** NodePublish of a staged volume, read-write; unpublished at cleanup. Returns the target path. */
  private Path publish(String volumeId, Path staging) {
    Path target = east.tempDir(volumeId).resolve(east.block() ? "device" : "mount");
    east.stubs().node().nodePublishVolume(east.publishRequest(volumeId, staging, target, false));
    tracker.track("publication of " + volumeId + " on " + east.site(), () -> RpcCalls.ignoringNotFound(() ->
        east.stubs().node().nodeUnpublishVolume(
            NodeUnpublishVolumeRequest.newBuilder().setVolumeId(volumeId).setTargetPath(target.toString()).build())));
    return target;
  }

  /** NodeStageVolume of a volume on the harness node (unstaged at cleanup). */
  private Path stage(String volumeId) {
    Path staging = east.tempDir(volumeId).resolve("staging");
    NodeStageVolumeRequest request =
        NodeStageVolumeRequest.newBuilder()
            .setVolumeId(volumeId)
            .setStagingTargetPath(staging.toString())
            .setVolumeCapability(east.publishRequest(volumeId, staging, staging, false).getVolumeCapability())
            .putAllSecrets(east.secrets())
            .build();
    RpcCalls.must(east.site(), "NodeStageVolume " + volumeId, () -> east.stubs().node().nodeStageVolume(request));
    tracker.track("staging of " + volumeId + " on " + east.site(), () -> RpcCalls.ignoringNotFound(() ->
        east.stubs().node().nodeUnstageVolume(
            NodeUnstageVolumeRequest.newBuilder().setVolumeId(volumeId).setStagingTargetPath(staging.toString()).build())));
    return staging;
  }

  private VolumeIo open(Path target) {
    VolumeIo io = PublishedVolume.open(target, east.block(), east.volumeSize(), config.timeoutProfile().of(TimeoutOperation.RPC));
    tracker.track("data path at " + target, io::close);
    return io;
  }

  private RecordFormat format() {
    return new RecordFormat(config.workload().recordSize());
  }
}
