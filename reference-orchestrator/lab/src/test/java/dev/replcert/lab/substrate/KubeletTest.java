package dev.replcert.lab.substrate;

import static dev.replcert.lab.substrate.SubstrateFixture.DELETE_CLASS;
import static dev.replcert.lab.substrate.SubstrateFixture.NS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.replcert.api.csiaddons.fence.CIDR;
import dev.replcert.api.csiaddons.fence.FenceClusterNetworkRequest;
import dev.replcert.api.csiaddons.fence.FenceControllerGrpc;
import dev.replcert.api.csiaddons.replication.ControllerGrpc;
import dev.replcert.api.csiaddons.replication.DemoteVolumeRequest;
import dev.replcert.api.csiaddons.replication.EnableVolumeReplicationRequest;
import dev.replcert.api.csiaddons.replication.PromoteVolumeRequest;
import dev.replcert.api.csiaddons.replication.ReplicationSource;
import dev.replcert.harness.config.TimeoutOperation;
import dev.replcert.harness.config.VolumeMode;
import dev.replcert.harness.config.WorkloadConfig;
import dev.replcert.harness.track.ResourceTracker;
import dev.replcert.harness.volume.VolumeIoException;
import dev.replcert.harness.workload.Verification;
import dev.replcert.harness.workload.WriterHandle;
import dev.replcert.harness.workload.WriterReport;
import dev.replcert.harness.workload.pod.PodWorkloads;
import dev.replcert.harness.workload.pod.WorkloadPods;
import dev.replcert.lab.substrate.kubelet.Kubelet;
import dev.replcert.refdriver.client.DriverChannels;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.grpc.ManagedChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The lab's kubelet against a real reference driver site and the harness's workload pods. */
class KubeletTest {

  private SubstrateFixture lab;
  private final ResourceTracker tracker = new ResourceTracker("KubeletTest");

  @BeforeEach
  void start() {
    lab = new SubstrateFixture();
  }

  @AfterEach
  void stop() {
    try {
      tracker.cleanUp();
    } finally {
      lab.close();
    }
  }

  @Test
  void registersTheSitesNodesWithTheirAddresses() {
    List<Node> nodes = lab.client.nodes().list().getItems();

    assertThat(nodes)
        .extracting(n -> n.getMetadata().getName())
        .containsExactly("east-node-1", "east-node-2");
    assertThat(nodes.get(1).getStatus().getAddresses())
        .anySatisfy(
            a -> assertThat(a.getType() + "=" + a.getAddress()).isEqualTo("InternalIP=192.0.2.12"));
  }

  @Test
  void aWriterPodRunsInJvmShowsProgressInItsLogAndTheVerifierFindsEveryRecord() {
    lab.claim("data", DELETE_CLASS, "Block", "4Mi");
    PodWorkloads workloads =
        new PodWorkloads(
            lab.client,
            new WorkloadConfig(null, 512, 200),
            SubstrateFixture.TIMEOUTS,
            tracker,
            "kubelet-test");

    WriterHandle writer = workloads.startWriter(NS, "data", VolumeMode.BLOCK, "run-1");
    lab.wait(
            "writer acknowledged 20 records (through the log endpoint)", TimeoutOperation.POD_START)
        .until(() -> writer.progress().lastAcked(), acked -> acked >= 20);
    Pod pod = writerPod("run-1");
    assertThat(pod.getSpec().getNodeName()).isEqualTo("east-node-1");
    assertThat(log(pod)).contains("replcert-progress ");
    WriterReport acked = writer.stop();

    Verification found = workloads.verify(NS, "data", VolumeMode.BLOCK, "run-1");

    assertThat(acked.stoppedBecause()).isEqualTo(WriterReport.StopReason.STOPPED);
    assertThat(found.isPrefixOf(acked)).as(found.describe(acked)).isTrue();
    assertThat(found.lastContiguous()).isEqualTo(acked.lastAcked());
  }

  @Test
  void aFilesystemWriterRunsOnItsMountToo() {
    lab.claim("files", DELETE_CLASS, "Filesystem", "4Mi");
    PodWorkloads workloads =
        new PodWorkloads(
            lab.client,
            new WorkloadConfig(null, 512, 200),
            SubstrateFixture.TIMEOUTS,
            tracker,
            "kubelet-test");

    WriterHandle writer = workloads.startWriter(NS, "files", VolumeMode.FILESYSTEM, "run-fs");
    lab.wait("filesystem writer acknowledged records", TimeoutOperation.POD_START)
        .until(() -> writer.progress().lastAcked(), acked -> acked >= 5);
    WriterReport acked = writer.stop();

    Verification found = workloads.verify(NS, "files", VolumeMode.FILESYSTEM, "run-fs");
    assertThat(found.isPrefixOf(acked)).as(found.describe(acked)).isTrue();
  }

  @Test
  void aSecondaryVolumeFailsToPublishAndThePodStaysPendingUntilItIsPrimary() {
    String volumeId = volumeId("replica");
    ManagedChannel channel = DriverChannels.forSocket(lab.site.socket());
    try {
      var replication =
          ControllerGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS);
      replication.enableVolumeReplication(
          EnableVolumeReplicationRequest.newBuilder()
              .setReplicationSource(source(volumeId))
              .build());
      replication.demoteVolume(
          DemoteVolumeRequest.newBuilder().setReplicationSource(source(volumeId)).build());

      lab.client.pods().inNamespace(NS).resource(ProvisionerTest.app("reader", "replica")).create();

      Event failed =
          lab.wait("FailedMount event for pod reader", TimeoutOperation.POD_START)
              .until(() -> event("reader", "FailedMount"), e -> e != null);
      assertThat(failed.getType()).isEqualTo("Warning");
      assertThat(failed.getMessage())
          .contains("MountVolume.SetUp failed", "FailedPrecondition", "secondary");
      assertThat(phase("reader")).isEqualTo("Pending");

      ControllerGrpc.newBlockingStub(channel)
          .withDeadlineAfter(10, TimeUnit.SECONDS)
          .promoteVolume(
              // force: this site has no peer to hand over from
              PromoteVolumeRequest.newBuilder()
                  .setReplicationSource(source(volumeId))
                  .setForce(true)
                  .build());
      lab.wait("pod reader Running once its volume is primary", TimeoutOperation.POD_START)
          .until(() -> phase("reader"), "Running"::equals);
    } finally {
      channel.shutdownNow();
    }
  }

  @Test
  void aWriterWhoseVolumeIsDemotedEndsReadOnlyAndItsVolumeIsUnpublished() {
    String volumeId = volumeId("demoted");
    PodWorkloads workloads =
        new PodWorkloads(
            lab.client,
            new WorkloadConfig(null, 512, 200),
            SubstrateFixture.TIMEOUTS,
            tracker,
            "kubelet-test");
    WriterHandle writer = workloads.startWriter(NS, "demoted", VolumeMode.BLOCK, "run-demote");
    lab.wait("writer acknowledged records", TimeoutOperation.POD_START)
        .until(() -> writer.progress().lastAcked(), acked -> acked >= 5);
    Pod pod = writerPod("run-demote");

    replication(
        stub -> {
          stub.enableVolumeReplication(
              EnableVolumeReplicationRequest.newBuilder()
                  .setReplicationSource(source(volumeId))
                  .build());
          stub.demoteVolume(
              DemoteVolumeRequest.newBuilder().setReplicationSource(source(volumeId)).build());
        });

    lab.wait("writer pod ended on its own", TimeoutOperation.WORKLOAD_STOP)
        .until(() -> phase(pod.getMetadata().getName()), "Succeeded"::equals);
    Path target =
        lab.root
            .resolve("kubelet/east-node-1/pods")
            .resolve(pod.getMetadata().getUid())
            .resolve("volumes/data");
    lab.wait("volume of the finished pod unpublished", TimeoutOperation.POD_DELETE)
        .until(() -> !Files.exists(target));
    WriterReport report = writer.stop();
    assertThat(report.stoppedBecause()).isEqualTo(WriterReport.StopReason.WRITE_FAILED);
    assertThat(report.failure().kind()).isEqualTo(VolumeIoException.Kind.READ_ONLY);
  }

  @Test
  void aPodOnAFencedNodeStaysPendingWithFailedMount() {
    volumeId("fenced");
    fence("192.0.2.12/32"); // east-node-2 only
    Pod onFenced = ProvisionerTest.app("on-fenced", "fenced");
    onFenced.getSpec().setNodeName("east-node-2");

    lab.client.pods().inNamespace(NS).resource(onFenced).create();

    Event failed =
        lab.wait("FailedMount event for pod on-fenced", TimeoutOperation.POD_START)
            .until(() -> event("on-fenced", "FailedMount"), e -> e != null);
    assertThat(failed.getMessage()).contains("PermissionDenied", "fenced");
    assertThat(pod("on-fenced").getSpec().getNodeName()).isEqualTo("east-node-2");
    assertThat(phase("on-fenced")).isEqualTo("Pending");
  }

  @Test
  void aReadOnlyClaimOfASecondaryVolumeIsPublished() {
    String volumeId = volumeId("standby");
    ManagedChannel channel = DriverChannels.forSocket(lab.site.socket());
    try {
      var replication =
          ControllerGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS);
      replication.enableVolumeReplication(
          EnableVolumeReplicationRequest.newBuilder()
              .setReplicationSource(source(volumeId))
              .build());
      replication.demoteVolume(
          DemoteVolumeRequest.newBuilder().setReplicationSource(source(volumeId)).build());
    } finally {
      channel.shutdownNow();
    }
    Pod reader = ProvisionerTest.app("standby-reader", "standby");
    reader.getSpec().getVolumes().get(0).getPersistentVolumeClaim().setReadOnly(true);

    lab.client.pods().inNamespace(NS).resource(reader).create();

    lab.wait("read-only pod on a secondary Running", TimeoutOperation.POD_START)
        .until(() -> phase("standby-reader"), "Running"::equals);
  }

  @Test
  void aPodWaitsForItsClaimToBeBound() {
    lab.client.pods().inNamespace(NS).resource(ProvisionerTest.app("early", "later")).create();

    lab.wait("pod early Pending waiting for its PVC", TimeoutOperation.POD_START)
        .until(
            () -> readyMessage(pod("early")), m -> "waiting for PVC later to be bound".equals(m));
    lab.claim("later", DELETE_CLASS, "Block", "1Mi");

    lab.wait("pod early Running once its PVC is bound", TimeoutOperation.POD_START)
        .until(() -> phase("early"), "Running"::equals);
  }

  @Test
  void deletingAPodUnpublishesItsVolumeBeforeThePodGoes() {
    String volumeId = volumeId("app-data");
    lab.client.pods().inNamespace(NS).resource(ProvisionerTest.app("app", "app-data")).create();
    lab.wait("pod app Running", TimeoutOperation.POD_START)
        .until(() -> phase("app"), "Running"::equals);
    Pod running = pod("app");
    assertThat(running.getMetadata().getFinalizers()).contains(Kubelet.FINALIZER);
    Path target =
        lab.root
            .resolve("kubelet/east-node-1/pods")
            .resolve(running.getMetadata().getUid())
            .resolve("volumes/data");
    assertThat(target).as("the handle NodePublish left").isRegularFile();

    lab.client.pods().inNamespace(NS).withName("app").delete();

    lab.wait("pod app gone", TimeoutOperation.POD_DELETE).until(() -> pod("app") == null);
    assertThat(Files.exists(target)).as("target path removed by NodeUnpublish").isFalse();
    // the driver refuses to delete a published volume: its deletion shows nothing is published
    lab.client.persistentVolumeClaims().inNamespace(NS).withName("app-data").delete();
    lab.wait("volume of app-data deleted by the driver", TimeoutOperation.CLEANUP)
        .until(() -> lab.driverVolume(volumeId).isEmpty());
  }

  @Test
  void aRestartedKubeletUnpublishesThePodsOfItsPredecessor() {
    String volumeId = volumeId("kept-data");
    lab.client.pods().inNamespace(NS).resource(ProvisionerTest.app("app", "kept-data")).create();
    lab.wait("pod app Running", TimeoutOperation.POD_START)
        .until(() -> phase("app"), "Running"::equals);
    Path target =
        lab.root
            .resolve("kubelet/east-node-1/pods")
            .resolve(pod("app").getMetadata().getUid())
            .resolve("volumes/data");

    lab.stopSubstrate();
    lab.startSubstrate();
    lab.client.pods().inNamespace(NS).withName("app").delete();

    lab.wait("pod app gone", TimeoutOperation.POD_DELETE).until(() -> pod("app") == null);
    assertThat(Files.exists(target)).as("target path removed by NodeUnpublish").isFalse();
    lab.client.persistentVolumeClaims().inNamespace(NS).withName("kept-data").delete();
    lab.wait("volume of kept-data deleted by the driver", TimeoutOperation.CLEANUP)
        .until(() -> lab.driverVolume(volumeId).isEmpty());
  }

  @Test
  void closingTheSubstrateStopsItsThreadsAndARestartFailsTheOrphanedWriter() {
    lab.claim("orphan", DELETE_CLASS, "Block", "4Mi");
    PodWorkloads workloads =
        new PodWorkloads(
            lab.client,
            new WorkloadConfig(null, 512, 200),
            SubstrateFixture.TIMEOUTS,
            tracker,
            "kubelet-test");
    WriterHandle writer = workloads.startWriter(NS, "orphan", VolumeMode.BLOCK, "run-orphan");
    lab.wait("writer acknowledged records", TimeoutOperation.POD_START)
        .until(() -> writer.progress().lastAcked(), acked -> acked >= 5);
    String pod = writerPod("run-orphan").getMetadata().getName();

    lab.stopSubstrate();

    assertThat(Thread.getAllStackTraces().keySet())
        .filteredOn(Thread::isAlive)
        .extracting(Thread::getName)
        .noneMatch(n -> n.startsWith("lab-kubelet") || n.startsWith("lab-provisioner"));

    lab.startSubstrate();
    lab.wait("orphaned writer reported Failed by the new kubelet", TimeoutOperation.POD_START)
        .until(() -> phase(pod), "Failed"::equals);
  }

  private String volumeId(String claim) {
    lab.claim(claim, DELETE_CLASS, "Block", "1Mi");
    String pv = lab.awaitBound(claim).getSpec().getVolumeName();
    return lab.client.persistentVolumes().withName(pv).get().getSpec().getCsi().getVolumeHandle();
  }

  private void replication(
      java.util.function.Consumer<ControllerGrpc.ControllerBlockingStub> calls) {
    ManagedChannel channel = DriverChannels.forSocket(lab.site.socket());
    try {
      calls.accept(ControllerGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS));
    } finally {
      channel.shutdownNow();
    }
  }

  private void fence(String cidr) {
    ManagedChannel channel = DriverChannels.forSocket(lab.site.socket());
    try {
      FenceControllerGrpc.newBlockingStub(channel)
          .withDeadlineAfter(10, TimeUnit.SECONDS)
          .fenceClusterNetwork(
              FenceClusterNetworkRequest.newBuilder()
                  .addCidrs(CIDR.newBuilder().setCidr(cidr))
                  .build());
    } finally {
      channel.shutdownNow();
    }
  }

  private static ReplicationSource source(String volumeId) {
    return ReplicationSource.newBuilder()
        .setVolume(ReplicationSource.VolumeSource.newBuilder().setVolumeId(volumeId))
        .build();
  }

  private String phase(String name) {
    Pod pod = pod(name);
    return pod == null || pod.getStatus() == null ? null : pod.getStatus().getPhase();
  }

  private Pod pod(String name) {
    return lab.client.pods().inNamespace(NS).withName(name).get();
  }

  private Pod writerPod(String dataRun) {
    return lab.client
        .pods()
        .inNamespace(NS)
        .withLabel(WorkloadPods.LABEL_DATA_RUN, dataRun)
        .list()
        .getItems()
        .get(0);
  }

  private String log(Pod pod) {
    return lab.client
        .pods()
        .inNamespace(NS)
        .withName(pod.getMetadata().getName())
        .inContainer(WorkloadPods.CONTAINER)
        .tailingLines(20)
        .getLog();
  }

  private Event event(String pod, String reason) {
    return lab.client.v1().events().inNamespace(NS).list().getItems().stream()
        .filter(e -> pod.equals(e.getInvolvedObject().getName()) && reason.equals(e.getReason()))
        .findFirst()
        .orElse(null);
  }

  private static String readyMessage(Pod pod) {
    if (pod == null || pod.getStatus() == null || pod.getStatus().getConditions() == null) {
      return null;
    }
    return pod.getStatus().getConditions().stream()
        .filter(c -> "Ready".equals(c.getType()))
        .map(c -> c.getMessage())
        .findFirst()
        .orElse(null);
  }
}
