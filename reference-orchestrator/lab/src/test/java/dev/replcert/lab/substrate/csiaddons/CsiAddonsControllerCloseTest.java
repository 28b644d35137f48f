package dev.replcert.lab.substrate.csiaddons;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.openshift.storage.replication.v1alpha1.VolumeReplicationSpec.ReplicationState;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Closing the controllers leaves none of their worker threads behind. */
class CsiAddonsControllerCloseTest {

  @Test
  void closingStopsEveryWorkerThread() {
    try (CsiAddonsLab lab = CsiAddonsLab.start()) {
      // a VolumeReplication that keeps failing (no PVC) keeps its queue requeueing
      lab.replicationClass(lab.east(), "vrc-1m", java.util.Map.of());
      lab.replicate(lab.east(), "ghost", "vrc-1m", "absent", ReplicationState.PRIMARY);
      await("VolumeReplication ghost reconciled")
          .atMost(Duration.ofSeconds(10))
          .pollInterval(Duration.ofMillis(50))
          .until(() -> lab.vr(lab.east(), "ghost").getStatus() != null);
      assertThat(workerThreads()).isNotEmpty();
      lab.east().controller().close();
      lab.west().controller().close();
      await("csi-addons worker threads stopped")
          .atMost(Duration.ofSeconds(10))
          .pollInterval(Duration.ofMillis(50))
          .untilAsserted(() -> assertThat(workerThreads()).isEmpty());
    }
  }

  private static List<String> workerThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(Thread::isAlive)
        .map(Thread::getName)
        .filter(n -> n.startsWith("csi-addons-"))
        .toList();
  }
}
