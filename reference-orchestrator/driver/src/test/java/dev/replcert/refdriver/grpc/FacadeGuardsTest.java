package dev.replcert.refdriver.grpc;

import static dev.replcert.refdriver.testing.Requests.MIB;
import static dev.replcert.refdriver.testing.Requests.assertCode;
import static dev.replcert.refdriver.testing.Requests.createVolume;
import static dev.replcert.refdriver.testing.Requests.volumeSource;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.replcert.api.csi.v1.ListVolumesRequest;
import dev.replcert.api.csiaddons.fence.ListClusterFenceRequest;
import dev.replcert.api.csiaddons.replication.DemoteVolumeRequest;
import dev.replcert.api.csiaddons.replication.EnableVolumeReplicationRequest;
import dev.replcert.api.csiaddons.volumegroup.ListVolumeGroupsRequest;
import dev.replcert.refdriver.testing.FakeDriver;
import dev.replcert.refdriver.testing.SiteClients;
import io.grpc.Status;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Concurrency, deadlines and secrets: what the façade enforces before the engine sees a call. */
class FacadeGuardsTest {

  private static DemoteVolumeRequest demote(String id) {
    return DemoteVolumeRequest.newBuilder().setReplicationSource(volumeSource(id)).build();
  }

  private static String replicatedVolume(SiteClients clients, String name) {
    String id = clients.controller().createVolume(createVolume(name, MIB)).getVolume().getVolumeId();
    clients.replication().enableVolumeReplication(EnableVolumeReplicationRequest.newBuilder().setReplicationSource(volumeSource(id)).build());
    return id;
  }

  @Test
  void aSecondOperationOnTheSameVolumeIsAbortedWhileTheFirstRuns() throws Exception {
    try (FakeDriver driver = FakeDriver.start()) {
      SiteClients clients = driver.clients();
      String id = replicatedVolume(clients, "busy");
      String other = replicatedVolume(clients, "other");
      CountDownLatch gate = driver.fake().holdDemotes();
      var first = clients.replicationAsync().demoteVolume(demote(id));
      await("first demote inside the engine").atMost(Duration.ofSeconds(10)).until(() -> driver.fake().demotesWaiting() == 1);

      Status aborted = assertCode(Status.Code.ABORTED, () -> clients.replication().demoteVolume(demote(id)));
      assertThat(aborted.getDescription()).isEqualTo("an operation on " + id + " is already in progress");
      assertCode(
          Status.Code.ABORTED,
          () -> clients.controller().deleteVolume(dev.replcert.api.csi.v1.DeleteVolumeRequest.newBuilder().setVolumeId(id).build()));
      // other ids and reads are not held up
      clients.promote(volumeSource(other), false);
      clients.controller().listVolumes(ListVolumesRequest.getDefaultInstance());

      gate.countDown();
      first.get(10, TimeUnit.SECONDS);
      clients.replication().demoteVolume(demote(id));
    }
  }

  @Test
  void aDemotePastItsDeadlineIsDeadlineExceededAndFreesTheVolume() throws Exception {
    try (FakeDriver driver = FakeDriver.start()) {
      SiteClients clients = driver.clients();
      String id = replicatedVolume(clients, "slow");
      CountDownLatch gate = driver.fake().holdDemotes();

      assertCode(
          Status.Code.DEADLINE_EXCEEDED,
          () -> clients.replication().withDeadlineAfter(300, TimeUnit.MILLISECONDS).demoteVolume(demote(id)));

      // the engine got the deadline and gave up at it: the lock is free again
      await("demote released by its deadline").atMost(Duration.ofSeconds(10)).until(() -> driver.fake().demotesWaiting() == 0);
      gate.countDown();
      clients.replication().demoteVolume(demote(id));
    }
  }

  @Test
  void configuredSecretsMustMatchAndAreNeverEchoed() throws Exception {
    Map<String, String> secrets = Map.of("token", "s3cr3t-value");
    try (FakeDriver driver = FakeDriver.withSecrets(secrets)) {
      SiteClients clients = driver.clients();
      String id = clients.controller().createVolume(createVolume("guarded", MIB)).getVolume().getVolumeId();
      EnableVolumeReplicationRequest enable = EnableVolumeReplicationRequest.newBuilder().setReplicationSource(volumeSource(id)).build();

      Status missing = assertCode(Status.Code.UNAUTHENTICATED, () -> clients.replication().enableVolumeReplication(enable));
      Status wrong =
          assertCode(
              Status.Code.UNAUTHENTICATED,
              () -> clients.replication().enableVolumeReplication(enable.toBuilder().putSecrets("token", "guess").build()));
      assertThat(missing.getDescription()).isEqualTo("secrets do not match");
      assertThat(wrong.getDescription()).doesNotContain("s3cr3t-value", "guess", "token");
      assertCode(Status.Code.UNAUTHENTICATED, () -> clients.replication().demoteVolume(demote(id)));
      assertCode(Status.Code.UNAUTHENTICATED, () -> clients.fence().listClusterFence(ListClusterFenceRequest.getDefaultInstance()));
      assertCode(Status.Code.UNAUTHENTICATED, () -> clients.groups().listVolumeGroups(ListVolumeGroupsRequest.getDefaultInstance()));

      clients.replication().enableVolumeReplication(enable.toBuilder().putAllSecrets(secrets).build());
      clients.fence().listClusterFence(ListClusterFenceRequest.newBuilder().putAllSecrets(secrets).build());
    }
  }
}
