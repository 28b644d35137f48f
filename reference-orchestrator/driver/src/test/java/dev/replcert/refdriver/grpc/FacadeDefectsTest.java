package dev.replcert.refdriver.grpc;

import static dev.replcert.refdriver.testing.Requests.MIB;
import static dev.replcert.refdriver.testing.Requests.assertCode;
import static dev.replcert.refdriver.testing.Requests.createVolume;
import static dev.replcert.refdriver.testing.Requests.volumeSource;
import static org.assertj.core.api.Assertions.assertThat;

import dev.replcert.api.csiaddons.fence.FenceClusterNetworkRequest;
import dev.replcert.api.csiaddons.fence.GetFenceClientsRequest;
import dev.replcert.api.csiaddons.fence.ListClusterFenceRequest;
import dev.replcert.api.csiaddons.identity.Capability;
import dev.replcert.api.csiaddons.identity.GetCapabilitiesRequest;
import dev.replcert.api.csiaddons.replication.EnableVolumeReplicationRequest;
import dev.replcert.api.csiaddons.replication.GetVolumeReplicationInfoRequest;
import dev.replcert.api.csiaddons.replication.GetVolumeReplicationInfoResponse;
import dev.replcert.api.csiaddons.replication.PromoteVolumeRequest;
import dev.replcert.api.csiaddons.replication.ResyncVolumeRequest;
import dev.replcert.api.csiaddons.volumegroup.CreateVolumeGroupRequest;
import dev.replcert.api.csiaddons.volumegroup.ListVolumeGroupsRequest;
import dev.replcert.refdriver.Defect;
import dev.replcert.refdriver.testing.FakeDriver;
import dev.replcert.refdriver.testing.SiteClients;
import io.grpc.Status;
import org.junit.jupiter.api.Test;

/**
 * Each façade-level defect switches exactly its behaviour; the correct answers are asserted beside
 * it so the difference is visible in one place.
 */
class FacadeDefectsTest {

  private static String replicatedVolume(SiteClients clients, String name) {
    String id = clients.controller().createVolume(createVolume(name, MIB)).getVolume().getVolumeId();
    clients.replication().enableVolumeReplication(enable(id));
    return id;
  }

  private static EnableVolumeReplicationRequest enable(String id) {
    return EnableVolumeReplicationRequest.newBuilder().setReplicationSource(volumeSource(id)).build();
  }

  @Test
  void wrongCodeMissingSourceAnswersUnknown() throws Exception {
    try (FakeDriver correct = FakeDriver.start(); FakeDriver defective = FakeDriver.withDefects(Defect.WRONG_CODE_MISSING_SOURCE)) {
      for (Runnable call : AddonsFacadeTest.replicationCalls(correct.clients(), null)) {
        assertCode(Status.Code.INVALID_ARGUMENT, call::run);
      }
      for (Runnable call : AddonsFacadeTest.replicationCalls(defective.clients(), null)) {
        assertCode(Status.Code.UNKNOWN, call::run);
      }
    }
  }

  @Test
  void wrongCodeNotFoundAnswersOkWithAnEmptyResponse() throws Exception {
    try (FakeDriver correct = FakeDriver.start(); FakeDriver defective = FakeDriver.withDefects(Defect.WRONG_CODE_NOT_FOUND)) {
      PromoteVolumeRequest promote = PromoteVolumeRequest.newBuilder().setReplicationSource(volumeSource("ghost")).build();
      GetVolumeReplicationInfoRequest info =
          GetVolumeReplicationInfoRequest.newBuilder().setReplicationSource(volumeSource("ghost")).build();
      assertCode(Status.Code.NOT_FOUND, () -> correct.clients().replication().promoteVolume(promote));
      assertCode(Status.Code.NOT_FOUND, () -> correct.clients().replication().getVolumeReplicationInfo(info));

      defective.clients().replication().promoteVolume(promote);
      assertThat(defective.clients().replication().getVolumeReplicationInfo(info))
          .isEqualTo(GetVolumeReplicationInfoResponse.getDefaultInstance());
      for (Runnable call : AddonsFacadeTest.replicationCalls(defective.clients(), volumeSource("ghost"))) {
        call.run();
      }
    }
  }

  @Test
  void wrongCodePreconditionReportsAPrimaryResyncedAndReady() throws Exception {
    try (FakeDriver correct = FakeDriver.start(); FakeDriver defective = FakeDriver.withDefects(Defect.WRONG_CODE_PRECONDITION)) {
      ResyncVolumeRequest resync =
          ResyncVolumeRequest.newBuilder().setReplicationSource(volumeSource(replicatedVolume(correct.clients(), "primary"))).build();
      assertCode(Status.Code.FAILED_PRECONDITION, () -> correct.clients().replication().resyncVolume(resync));

      replicatedVolume(defective.clients(), "primary");
      assertThat(defective.clients().replication().resyncVolume(resync).getReady()).isTrue();
    }
  }

  @Test
  void nonIdempotentEnableRefusesTheRepeat() throws Exception {
    try (FakeDriver correct = FakeDriver.start(); FakeDriver defective = FakeDriver.withDefects(Defect.NON_IDEMPOTENT_ENABLE)) {
      String id = replicatedVolume(correct.clients(), "twice");
      for (int i = 0; i < 5; i++) {
        correct.clients().replication().enableVolumeReplication(enable(id));
      }

      replicatedVolume(defective.clients(), "twice");
      assertCode(Status.Code.ALREADY_EXISTS, () -> defective.clients().replication().enableVolumeReplication(enable(id)));
    }
  }

  @Test
  void capabilitiesOverstatedAdvertisesGroupsAndFenceThatRefuse() throws Exception {
    try (FakeDriver correct = FakeDriver.start(); FakeDriver defective = FakeDriver.withDefects(Defect.CAPABILITIES_OVERSTATED)) {
      var advertised = defective.clients().addonsIdentity().getCapabilities(GetCapabilitiesRequest.getDefaultInstance()).getCapabilitiesList();
      assertThat(advertised)
          .isEqualTo(correct.clients().addonsIdentity().getCapabilities(GetCapabilitiesRequest.getDefaultInstance()).getCapabilitiesList());
      assertThat(advertised).anyMatch(Capability::hasVolumeGroup).anyMatch(Capability::hasNetworkFence);

      correct.clients().groups().listVolumeGroups(ListVolumeGroupsRequest.getDefaultInstance());
      correct.clients().fence().listClusterFence(ListClusterFenceRequest.getDefaultInstance());
      SiteClients broken = defective.clients();
      assertCode(Status.Code.UNIMPLEMENTED, () -> broken.groups().listVolumeGroups(ListVolumeGroupsRequest.getDefaultInstance()));
      assertCode(Status.Code.UNIMPLEMENTED, () -> broken.groups().createVolumeGroup(CreateVolumeGroupRequest.newBuilder().setName("g").build()));
      assertCode(Status.Code.UNIMPLEMENTED, () -> broken.fence().listClusterFence(ListClusterFenceRequest.getDefaultInstance()));
      assertCode(Status.Code.UNIMPLEMENTED, () -> broken.fence().getFenceClients(GetFenceClientsRequest.getDefaultInstance()));
      assertCode(
          Status.Code.UNIMPLEMENTED,
          () ->
              broken.fence()
                  .fenceClusterNetwork(
                      FenceClusterNetworkRequest.newBuilder()
                          .addCidrs(dev.replcert.api.csiaddons.fence.CIDR.newBuilder().setCidr("192.0.2.0/24"))
                          .build()));
    }
  }
}
