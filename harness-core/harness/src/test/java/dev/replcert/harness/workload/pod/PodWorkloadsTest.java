package dev.replcert.harness.workload.pod;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.replcert.harness.config.TimeoutOperation;
import dev.replcert.harness.config.TimeoutProfile;
import dev.replcert.harness.config.VolumeMode;
import dev.replcert.harness.config.WorkloadConfig;
import dev.replcert.harness.track.ResourceTracker;
import dev.replcert.harness.workload.Verification;
import dev.replcert.harness.workload.WorkloadCommand;
import dev.replcert.harness.workload.WorkloadException;
import dev.replcert.harness.workload.WriterHandle;
import dev.replcert.harness.workload.WriterReport;
import dev.replcert.harness.workload.WriterReport.StopReason;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** PodWorkloads against the CRUD mock, with a fake kubelet running the real program in-JVM. */
@EnableKubernetesMockClient(crud = true)
class PodWorkloadsTest {

  private static final String NS = "replcert-workload-test";
  private static final long SIZE = 4L << 20;
  private static final TimeoutProfile TIMEOUTS =
      TimeoutProfile.named(TimeoutProfile.LAB)
          .withOverrides(Map.of(TimeoutOperation.POLL, Duration.ofMillis(20)));

  static {
    // the mock logs every request at INFO through java.util.logging
    java.util.logging.Logger.getLogger("io.fabric8.mockwebserver")
        .setLevel(java.util.logging.Level.WARNING);
  }

  KubernetesMockServer server;
  KubernetesClient client;

  @TempDir Path volumes;

  private final ResourceTracker tracker = new ResourceTracker("PodWorkloadsTest");
  private FakeKubelet kubelet;
  private PodWorkloads workloads;

  @BeforeEach
  void setUp() {
    client
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build())
        .create();
    kubelet = new FakeKubelet(server, client, NS, volumes);
    workloads = workloads(new WorkloadConfig(null, 512, 200), TIMEOUTS);
  }

  @AfterEach
  void tearDown() throws InterruptedException {
    try {
      tracker.cleanUp();
    } finally {
      kubelet.close();
    }
  }

  @Test
  void aBlockWriterPodFollowsThePodContract() throws IOException {
    pvc("data-blk", VolumeMode.BLOCK);

    WriterHandle writer = workloads.startWriter(NS, "data-blk", VolumeMode.BLOCK, "run-blk");

    Pod pod = onlyPod("writer");
    Container c = pod.getSpec().getContainers().get(0);
    assertThat(pod.getMetadata().getLabels())
        .containsEntry("replcert.dev/workload", "writer")
        .containsEntry("replcert.dev/run-id", "cert-run-1")
        .containsEntry("replcert.dev/data-run", "run-blk");
    assertThat(pod.getSpec().getRestartPolicy()).isEqualTo("Never");
    assertThat(c.getImage()).isEqualTo("docker.io/library/eclipse-temurin:17-jre");
    assertThat(c.getCommand())
        .isEqualTo(WorkloadJar.DEFAULT_LAUNCHER)
        .isEqualTo(WorkloadConfig.DEFAULT_COMMAND);
    assertThat(c.getVolumeDevices())
        .singleElement()
        .satisfies(d -> assertThat(d.getDevicePath()).isEqualTo("/dev/replcert-data"));
    assertThat(c.getVolumeMounts())
        .extracting(m -> m.getMountPath())
        .containsExactlyInAnyOrder("/replcert", "/replcert-control");
    assertThat(c.getTerminationMessagePath()).isEqualTo("/dev/termination-log");
    assertThat(WorkloadPods.claimName(pod)).isEqualTo("data-blk");
    assertThat(pod.getSpec().getVolumes())
        .anySatisfy(
            v -> {
              assertThat(v.getDownwardAPI()).isNotNull();
              assertThat(v.getDownwardAPI().getItems().get(0).getFieldRef().getFieldPath())
                  .isEqualTo("metadata.annotations['replcert.dev/stop']");
            });
    String jarMap = WorkloadJar.get().configMapName();
    assertThat(pod.getSpec().getVolumes())
        .anySatisfy(
            v ->
                assertThat(v.getConfigMap())
                    .isNotNull()
                    .satisfies(m -> assertThat(m.getName()).isEqualTo(jarMap)));
    assertThat(client.configMaps().inNamespace(NS).withName(jarMap).get().getBinaryData())
        .containsKey("workload.jar");
    WorkloadCommand command = WorkloadCommand.fromContainer(c.getCommand(), c.getArgs());
    assertThat(command.action()).isEqualTo(WorkloadCommand.Action.WRITER);
    assertThat(command.block()).isTrue();
    assertThat(command.size()).isEqualTo(SIZE);
    assertThat(command.stopFile()).isEqualTo("/replcert-control/stop");
    writer.stop();
  }

  @Test
  void aFilesystemPodMountsTheVolumeAndTheImageAndCommandComeFromTheConfig() throws IOException {
    pvc("data-fs", VolumeMode.FILESYSTEM);
    PodWorkloads vendor =
        workloads(
            new WorkloadConfig(
                "registry.example.com/vendor/java:17",
                512,
                200,
                List.of("/opt/vendor/run", "--quiet")),
            TIMEOUTS);

    WriterHandle writer = vendor.startWriter(NS, "data-fs", VolumeMode.FILESYSTEM, "run-fs");

    Container c = onlyPod("writer").getSpec().getContainers().get(0);
    assertThat(c.getImage()).isEqualTo("registry.example.com/vendor/java:17");
    assertThat(c.getCommand()).containsExactly("/opt/vendor/run", "--quiet");
    assertThat(c.getArgs()).startsWith("writer");
    assertThat(c.getVolumeDevices()).isEmpty();
    assertThat(c.getVolumeMounts()).extracting(m -> m.getMountPath()).contains("/replcert-data");
    assertThat(WorkloadCommand.fromContainer(c.getCommand(), c.getArgs()).size())
        .isEqualTo(SIZE / 100 * 90);
    writer.stop();
    assertThat(volumes.resolve("data-fs").resolve("replcert.data")).exists();
  }

  @Test
  void aWriterIsStoppedAndTheVerifierFindsEveryAcknowledgedRecord() throws IOException {
    pvc("data", VolumeMode.BLOCK);
    WriterHandle writer = workloads.startWriter(NS, "data", VolumeMode.BLOCK, "run-rt");

    await("writer progress through the pod log past #10")
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(50))
        .until(() -> writer.progress().lastAcked() >= 10);
    WriterReport report = writer.stop();
    Verification found = workloads.verify(NS, "data", VolumeMode.BLOCK, "run-rt");

    assertThat(report.stoppedBecause()).isEqualTo(StopReason.STOPPED);
    assertThat(report.lastAcked()).isGreaterThanOrEqualTo(10);
    assertThat(writer.stop()).isEqualTo(report);
    assertThat(writer.progress()).isEqualTo(report);
    assertThat(found.isPrefixOf(report)).as(found.describe(report)).isTrue();
    assertThat(found.lastContiguous()).isEqualTo(report.lastAcked());
    assertThat(client.pods().inNamespace(NS).list().getItems())
        .as("workload pods deleted")
        .isEmpty();
  }

  @Test
  void aContinuedWriterCarriesOnTheSequenceOfTheDataRun() throws IOException {
    pvc("data", VolumeMode.FILESYSTEM);
    WriterReport before = workloads.startWriter(NS, "data", VolumeMode.FILESYSTEM, "run-fo").stop();
    Verification survived = workloads.verify(NS, "data", VolumeMode.FILESYSTEM, "run-fo");

    WriterHandle after =
        workloads.continueWriter(
            NS, "data", VolumeMode.FILESYSTEM, "run-fo", survived.lastContiguous() + 1);
    await("continued writer wrote")
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(50))
        .until(() -> after.progress().lastAcked() > survived.lastContiguous() + 3);
    WriterReport continued = after.stop();
    Verification found = workloads.verify(NS, "data", VolumeMode.FILESYSTEM, "run-fo");

    assertThat(continued.firstSequence()).isEqualTo(before.lastAcked() + 1);
    assertThat(found.gaps()).isEmpty();
    assertThat(found.lastContiguous()).isEqualTo(continued.lastAcked());
  }

  @Test
  void withoutTheLogEndpointProgressFallsBackToWhatWasLastSeen() throws IOException {
    kubelet.withoutLogs();
    pvc("data", VolumeMode.BLOCK);
    WriterHandle writer = workloads.startWriter(NS, "data", VolumeMode.BLOCK, "run-nolog");

    WriterReport progress = writer.progress();
    WriterReport stopped = writer.stop();

    assertThat(progress.lastAcked()).isEqualTo(-1);
    assertThat(progress.stoppedBecause()).isEqualTo(StopReason.RUNNING);
    assertThat(stopped.stoppedBecause()).isEqualTo(StopReason.STOPPED);
  }

  @Test
  void podsOfAWorkloadOnANodeAreBoundToItAndASubmittedWriterIsNotWaitedFor() throws IOException {
    kubelet.behave(FakeKubelet.Behaviour.UNSCHEDULABLE);
    pvc("data", VolumeMode.BLOCK);

    String name = workloads.onNode("node-7").submitWriter(NS, "data", VolumeMode.BLOCK, "run-node", 5);

    Pod pod = client.pods().inNamespace(NS).withName(name).get();
    assertThat(pod.getSpec().getNodeName()).isEqualTo("node-7");
    assertThat(WorkloadPods.command(pod).firstSequence()).isEqualTo(5);
    assertThat(pod.getStatus() == null ? null : pod.getStatus().getPhase()).isNotEqualTo("Running");
    assertThat(tracker.tracked()).anyMatch(t -> t.contains(name));
  }

  @Test
  void aPodThatNeverRunsTimesOutWithItsStatusAndEvents() throws IOException {
    kubelet.behave(FakeKubelet.Behaviour.UNSCHEDULABLE);
    pvc("data", VolumeMode.BLOCK);
    PodWorkloads impatient =
        workloads(
            new WorkloadConfig(null, 512, 200),
            TIMEOUTS.withOverrides(Map.of(TimeoutOperation.POD_START, Duration.ofMillis(700))));

    assertThatThrownBy(() -> impatient.startWriter(NS, "data", VolumeMode.BLOCK, "run-stuck"))
        .isInstanceOfSatisfying(
            WorkloadException.class,
            e -> {
              assertThat(e.workload()).startsWith("pod " + NS + "/replcert-writer-data-");
              assertThat(e.phase()).isEqualTo("waiting for the writer to run");
              assertThat(e.lastStatus())
                  .contains("phase Pending", "PodScheduled=False (Unschedulable");
            })
        .hasMessageContaining("not done within podStart = PT0.7S")
        .hasMessageContaining("FailedScheduling: volume node affinity conflict");
  }

  @Test
  void aWriterThatDoesNotStopTimesOutWithItsLastProgress() throws IOException {
    kubelet.behave(FakeKubelet.Behaviour.IGNORE_STOP);
    pvc("data", VolumeMode.BLOCK);
    PodWorkloads impatient =
        workloads(
            new WorkloadConfig(null, 512, 200),
            TIMEOUTS.withOverrides(Map.of(TimeoutOperation.WORKLOAD_STOP, Duration.ofMillis(700))));
    WriterHandle writer = impatient.startWriter(NS, "data", VolumeMode.BLOCK, "run-deaf");

    assertThatThrownBy(writer::stop)
        .isInstanceOfSatisfying(
            WorkloadException.class,
            e -> {
              assertThat(e.phase()).isEqualTo("waiting for the writer to stop");
              assertThat(e.lastStatus())
                  .contains("phase Running", "container workload running since");
            })
        .hasMessageContaining("not done within workloadStop = PT0.7S");
  }

  @Test
  void aContainerThatCannotStartFailsAtOnce() throws IOException {
    kubelet.behave(FakeKubelet.Behaviour.IMAGE_PULL_FAILS);
    pvc("data", VolumeMode.BLOCK);

    assertThatThrownBy(() -> workloads.startWriter(NS, "data", VolumeMode.BLOCK, "run-pull"))
        .isInstanceOf(WorkloadException.class)
        .hasMessageContaining("the container cannot start: ImagePullBackOff");
  }

  @Test
  void aVerifierThatCannotOpenTheVolumeSaysSo() throws IOException {
    client
        .persistentVolumeClaims()
        .inNamespace(NS)
        .resource(claim("ghost", VolumeMode.BLOCK))
        .create();

    assertThatThrownBy(() -> workloads.verify(NS, "ghost", VolumeMode.BLOCK, "run-x"))
        .isInstanceOf(WorkloadException.class)
        .hasMessageContaining("verifying of pod " + NS + "/replcert-verifier-ghost-")
        .hasMessageContaining("failed in phase 'open volume'");
  }

  @Test
  void aModeOrPvcMismatchIsRefusedBeforeAnyPod() throws IOException {
    pvc("data", VolumeMode.FILESYSTEM);

    assertThatThrownBy(() -> workloads.startWriter(NS, "data", VolumeMode.BLOCK, "run-x"))
        .hasMessageContaining("the PVC is Filesystem, the test asked for Block");
    assertThatThrownBy(() -> workloads.verify(NS, "nope", VolumeMode.BLOCK, "run-x"))
        .hasMessageContaining("PVC " + NS + "/nope")
        .hasMessageContaining("does not exist");
    assertThatThrownBy(
            () -> workloads.startWriter(NS, "data", VolumeMode.FILESYSTEM, "not a label"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(client.pods().inNamespace(NS).list().getItems()).isEmpty();
  }

  @Test
  void cleanupDeletesPodsThenTheJarConfigMap() throws IOException {
    pvc("data", VolumeMode.BLOCK);
    workloads.startWriter(NS, "data", VolumeMode.BLOCK, "run-clean");

    assertThat(tracker.tracked()).hasSize(2).first().asString().startsWith("writer pod");
    tracker.cleanUp();

    assertThat(client.pods().inNamespace(NS).list().getItems()).isEmpty();
    assertThat(client.configMaps().inNamespace(NS).list().getItems()).isEmpty();
  }

  private PodWorkloads workloads(WorkloadConfig config, TimeoutProfile timeouts) {
    return new PodWorkloads(client, config, timeouts, tracker, "cert-run-1");
  }

  private Pod onlyPod(String role) {
    List<Pod> pods =
        client.pods().inNamespace(NS).withLabel("replcert.dev/workload", role).list().getItems();
    assertThat(pods).hasSize(1);
    return pods.get(0);
  }

  /** A PVC of SIZE bytes and its backing file on the fake node. */
  private void pvc(String name, VolumeMode mode) throws IOException {
    client.persistentVolumeClaims().inNamespace(NS).resource(claim(name, mode)).create();
    if (mode == VolumeMode.BLOCK) {
      try (RandomAccessFile device =
          new RandomAccessFile(volumes.resolve(name + ".img").toFile(), "rw")) {
        device.setLength(SIZE);
      }
    } else {
      Files.createDirectories(volumes.resolve(name));
    }
  }

  private static io.fabric8.kubernetes.api.model.PersistentVolumeClaim claim(
      String name, VolumeMode mode) {
    return new PersistentVolumeClaimBuilder()
        .withNewMetadata()
        .withName(name)
        .endMetadata()
        .withNewSpec()
        .withVolumeMode(mode.id())
        .withAccessModes("ReadWriteOnce")
        .withNewResources()
        .addToRequests("storage", new Quantity(Long.toString(SIZE)))
        .endResources()
        .endSpec()
        .build();
  }
}
