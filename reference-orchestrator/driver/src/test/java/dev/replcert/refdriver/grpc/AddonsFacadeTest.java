package dev.replcert.refdriver.grpc;

import static dev.replcert.refdriver.testing.Requests.MIB;
import static dev.replcert.refdriver.testing.Requests.assertCode;
import static dev.replcert.refdriver.testing.Requests.createVolume;
import static dev.replcert.refdriver.testing.Requests.volumeSource;
import static org.assertj.core.api.Assertions.assertThat;

import dev.replcert.api.csiaddons.fence.CIDR;
import dev.replcert.api.csiaddons.fence.FenceClusterNetworkRequest;
import dev.replcert.api.csiaddons.fence.GetFenceClientsRequest;
import dev.replcert.api.csiaddons.fence.ListClusterFenceRequest;
import dev.replcert.api.csiaddons.fence.UnfenceClusterNetworkRequest;
import dev.replcert.api.csiaddons.identity.Capability;
import dev.replcert.api.csiaddons.identity.GetCapabilitiesRequest;
import dev.replcert.api.csiaddons.identity.GetIdentityRequest;
import dev.replcert.api.csiaddons.identity.ProbeRequest;
import dev.replcert.api.csiaddons.replication.DemoteVolumeRequest;
import dev.replcert.api.csiaddons.replication.DisableVolumeReplicationRequest;
import dev.replcert.api.csiaddons.replication.EnableVolumeReplicationRequest;
import dev.replcert.api.csiaddons.replication.GetReplicationDestinationInfoRequest;
import dev.replcert.api.csiaddons.replication.GetVolumeReplicationInfoRequest;
import dev.replcert.api.csiaddons.replication.GetVolumeReplicationInfoResponse;
import dev.replcert.api.csiaddons.replication.PromoteVolumeRequest;
import dev.replcert.api.csiaddons.replication.ReplicationSource;
import dev.replcert.api.csiaddons.replication.ResyncVolumeRequest;
import dev.replcert.api.csiaddons.volumegroup.ControllerGetVolumeGroupRequest;
import dev.replcert.api.csiaddons.volumegroup.CreateVolumeGroupRequest;
import dev.replcert.api.csiaddons.volumegroup.DeleteVolumeGroupRequest;
import dev.replcert.api.csiaddons.volumegroup.ListVolumeGroupsRequest;
import dev.replcert.api.csiaddons.volumegroup.ModifyVolumeGroupMembershipRequest;
import dev.replcert.api.refdriver.v1.GetReplicationControlRequest;
import dev.replcert.api.refdriver.v1.PauseReplicationRequest;
import dev.replcert.api.refdriver.v1.ResumeReplicationRequest;
import dev.replcert.refdriver.DriverOptions;
import dev.replcert.refdriver.testing.FakeDriver;
import dev.replcert.refdriver.testing.SiteClients;
import io.grpc.Status;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The csi-addons services and vendor extensions over real sockets, in front of an in-memory engine. */
class AddonsFacadeTest {

  private static FakeDriver driver;
  private static SiteClients clients;

  @BeforeAll
  static void start() {
    driver = FakeDriver.start();
    clients = driver.clients();
  }

  @AfterAll
  static void stop() {
    driver.close();
  }

  private static String volume(String name) {
    return clients.controller().createVolume(createVolume(name, MIB)).getVolume().getVolumeId();
  }

  @Test
  void identityAdvertisesWhatTheDriverImplements() {
    var identity = clients.addonsIdentity().getIdentity(GetIdentityRequest.getDefaultInstance());
    assertThat(identity.getName()).isEqualTo(DriverOptions.DRIVER_NAME);
    assertThat(identity.getVendorVersion()).isNotEmpty();
    assertThat(identity.getManifestMap()).containsEntry("site", "east");
    assertThat(clients.addonsIdentity().probe(ProbeRequest.getDefaultInstance()).getReady().getValue()).isTrue();
    List<Capability> capabilities =
        clients.addonsIdentity().getCapabilities(GetCapabilitiesRequest.getDefaultInstance()).getCapabilitiesList();
    assertThat(capabilities)
        .contains(
            Capability.newBuilder().setService(Capability.Service.newBuilder().setType(Capability.Service.Type.CONTROLLER_SERVICE)).build(),
            Capability.newBuilder()
                .setVolumeReplication(Capability.VolumeReplication.newBuilder().setType(Capability.VolumeReplication.Type.VOLUME_REPLICATION))
                .build(),
            Capability.newBuilder()
                .setVolumeReplication(
                    Capability.VolumeReplication.newBuilder().setType(Capability.VolumeReplication.Type.GET_REPLICATION_DESTINATION_INFO))
                .build(),
            Capability.newBuilder().setVolumeGroup(Capability.VolumeGroup.newBuilder().setType(Capability.VolumeGroup.Type.VOLUME_GROUP)).build(),
            Capability.newBuilder()
                .setNetworkFence(Capability.NetworkFence.newBuilder().setType(Capability.NetworkFence.Type.NETWORK_FENCE))
                .build());
    assertThat(capabilities)
        .filteredOn(Capability::hasVolumeGroup)
        .extracting(c -> c.getVolumeGroup().getType())
        .contains(
            Capability.VolumeGroup.Type.MODIFY_VOLUME_GROUP,
            Capability.VolumeGroup.Type.GET_VOLUME_GROUP,
            Capability.VolumeGroup.Type.LIST_VOLUME_GROUPS);
  }

  @Test
  void everyReplicationRpcNeedsASource() {
    for (Runnable call : replicationCalls(null)) {
      Status status = assertCode(Status.Code.INVALID_ARGUMENT, call::run);
      assertThat(status.getDescription()).isEqualTo("replication_source is required");
    }
    for (Runnable call : replicationCalls(volumeSource(""))) {
      assertCode(Status.Code.INVALID_ARGUMENT, call::run);
    }
  }

  @Test
  void everyReplicationRpcOnAnUnknownVolumeIsNotFound() {
    for (Runnable call : replicationCalls(volumeSource("no-such-volume"))) {
      assertCode(Status.Code.NOT_FOUND, call::run);
    }
  }

  /** The seven replication RPCs with the given source (null: none). */
  static List<Runnable> replicationCalls(SiteClients clients, ReplicationSource source) {
    var stub = clients.replication();
    return List.of(
        () -> stub.enableVolumeReplication(source == null ? EnableVolumeReplicationRequest.getDefaultInstance() : EnableVolumeReplicationRequest.newBuilder().setReplicationSource(source).build()),
        () -> stub.disableVolumeReplication(source == null ? DisableVolumeReplicationRequest.getDefaultInstance() : DisableVolumeReplicationRequest.newBuilder().setReplicationSource(source).build()),
        () -> stub.promoteVolume(source == null ? PromoteVolumeRequest.getDefaultInstance() : PromoteVolumeRequest.newBuilder().setReplicationSource(source).build()),
        () -> stub.demoteVolume(source == null ? DemoteVolumeRequest.getDefaultInstance() : DemoteVolumeRequest.newBuilder().setReplicationSource(source).build()),
        () -> stub.resyncVolume(source == null ? ResyncVolumeRequest.getDefaultInstance() : ResyncVolumeRequest.newBuilder().setReplicationSource(source).build()),
        () -> stub.getVolumeReplicationInfo(source == null ? GetVolumeReplicationInfoRequest.getDefaultInstance() : GetVolumeReplicationInfoRequest.newBuilder().setReplicationSource(source).build()),
        () -> stub.getReplicationDestinationInfo(source == null ? GetReplicationDestinationInfoRequest.getDefaultInstance() : GetReplicationDestinationInfoRequest.newBuilder().setReplicationSource(source).build()));
  }

  private static List<Runnable> replicationCalls(ReplicationSource source) {
    return replicationCalls(clients, source);
  }

  @Test
  void replicationInfoCarriesTheEngineStatus() {
    String id = volume("info");
    clients.replication().enableVolumeReplication(EnableVolumeReplicationRequest.newBuilder().setReplicationSource(volumeSource(id)).build());
    GetVolumeReplicationInfoResponse info =
        clients.replication().getVolumeReplicationInfo(GetVolumeReplicationInfoRequest.newBuilder().setReplicationSource(volumeSource(id)).build());
    assertThat(info.getLastSyncTime().getSeconds()).isEqualTo(Instant.parse("2026-01-01T00:00:00Z").getEpochSecond());
    assertThat(info.getLastSyncTime().getNanos()).isEqualTo(500_000_000);
    assertThat(info.getLastSyncDuration().getNanos()).isEqualTo(250_000_000);
    assertThat(info.getLastSyncBytes()).isEqualTo(4096);
    assertThat(info.getStatus()).isEqualTo(GetVolumeReplicationInfoResponse.Status.DEGRADED);
    assertThat(info.getStatusMessage()).isEqualTo("no peer");
    var destination =
        clients.replication()
            .getReplicationDestinationInfo(GetReplicationDestinationInfoRequest.newBuilder().setReplicationSource(volumeSource(id)).build());
    assertThat(destination.getReplicationDestination().getVolume().getVolumeId()).isEqualTo(id);
  }

  @Test
  void destinationInfoOfAnUnreplicatedVolumeIsFailedPrecondition() {
    String id = volume("not-replicated");
    assertCode(
        Status.Code.FAILED_PRECONDITION,
        () ->
            clients.replication()
                .getReplicationDestinationInfo(GetReplicationDestinationInfoRequest.newBuilder().setReplicationSource(volumeSource(id)).build()));
  }

  @Test
  void demoteGetsTheCallersDeadline() {
    String id = volume("deadline");
    clients.replication().enableVolumeReplication(EnableVolumeReplicationRequest.newBuilder().setReplicationSource(volumeSource(id)).build());
    Instant before = Instant.now();
    clients.replication()
        .withDeadlineAfter(7, java.util.concurrent.TimeUnit.SECONDS)
        .demoteVolume(DemoteVolumeRequest.newBuilder().setReplicationSource(volumeSource(id)).build());
    assertThat(driver.fake().lastDemoteDeadline()).isBetween(before.plusSeconds(5), before.plusSeconds(8));
  }

  @Test
  void fenceNeedsValidCidrs() {
    assertThat(assertCode(Status.Code.INVALID_ARGUMENT, () -> clients.fence().fenceClusterNetwork(FenceClusterNetworkRequest.getDefaultInstance())).getDescription())
        .isEqualTo("cidrs is required");
    for (String bad : List.of("192.0.2.0", "192.0.2.0/33", "300.0.2.0/24", "example.com/24", "192.0.2.0/x", "")) {
      assertCode(
          Status.Code.INVALID_ARGUMENT,
          () -> clients.fence().fenceClusterNetwork(FenceClusterNetworkRequest.newBuilder().addCidrs(CIDR.newBuilder().setCidr(bad)).build()));
    }
    assertCode(Status.Code.INVALID_ARGUMENT, () -> clients.fence().unfenceClusterNetwork(UnfenceClusterNetworkRequest.getDefaultInstance()));
  }

  @Test
  void fenceListAndUnfence() {
    var cidrs = List.of(CIDR.newBuilder().setCidr("192.0.2.0/24").build(), CIDR.newBuilder().setCidr("2001:db8::/32").build());
    clients.fence().fenceClusterNetwork(FenceClusterNetworkRequest.newBuilder().addAllCidrs(cidrs).build());
    assertThat(clients.fence().listClusterFence(ListClusterFenceRequest.getDefaultInstance()).getCidrsList()).containsAll(cidrs);
    clients.fence().unfenceClusterNetwork(UnfenceClusterNetworkRequest.newBuilder().addAllCidrs(cidrs).build());
    assertThat(clients.fence().listClusterFence(ListClusterFenceRequest.getDefaultInstance()).getCidrsList()).doesNotContainAnyElementsOf(cidrs);
  }

  @Test
  void fenceClientsAreTheNodesWithTheirAddresses() {
    var clientsToFence = clients.fence().getFenceClients(GetFenceClientsRequest.getDefaultInstance()).getClientsList();
    assertThat(clientsToFence).extracting(c -> c.getId()).containsExactly("east-node-1", "east-node-2");
    assertThat(clientsToFence.get(0).getAddressesList()).extracting(CIDR::getCidr).containsExactly("192.0.2.11/32");
  }

  @Test
  void volumeGroupLifecycle() {
    String a = volume("group-a");
    String b = volume("group-b");
    var created =
        clients.groups().createVolumeGroup(CreateVolumeGroupRequest.newBuilder().setName("g1").addVolumeIds(a).build()).getVolumeGroup();
    assertThat(created.getVolumesList()).extracting(v -> v.getVolumeId()).containsExactly(a);
    String id = created.getVolumeGroupId();
    var modified =
        clients.groups()
            .modifyVolumeGroupMembership(ModifyVolumeGroupMembershipRequest.newBuilder().setVolumeGroupId(id).addVolumeIds(a).addVolumeIds(b).build())
            .getVolumeGroup();
    assertThat(modified.getVolumesList()).extracting(v -> v.getVolumeId()).containsExactly(a, b);
    assertThat(clients.groups().controllerGetVolumeGroup(ControllerGetVolumeGroupRequest.newBuilder().setVolumeGroupId(id).build()).getVolumeGroup())
        .isEqualTo(modified);
    clients.groups().createVolumeGroup(CreateVolumeGroupRequest.newBuilder().setName("g2").build());
    var firstPage = clients.groups().listVolumeGroups(ListVolumeGroupsRequest.newBuilder().setMaxEntries(1).build());
    assertThat(firstPage.getEntriesCount()).isEqualTo(1);
    var rest = clients.groups().listVolumeGroups(ListVolumeGroupsRequest.newBuilder().setStartingToken(firstPage.getNextToken()).build());
    assertThat(rest.getEntriesCount()).isGreaterThanOrEqualTo(1);
    assertThat(rest.getNextToken()).isEmpty();
    clients.groups().deleteVolumeGroup(DeleteVolumeGroupRequest.newBuilder().setVolumeGroupId(id).build());
    assertCode(
        Status.Code.NOT_FOUND,
        () -> clients.groups().controllerGetVolumeGroup(ControllerGetVolumeGroupRequest.newBuilder().setVolumeGroupId(id).build()));
    assertCode(Status.Code.INVALID_ARGUMENT, () -> clients.groups().createVolumeGroup(CreateVolumeGroupRequest.getDefaultInstance()));
    assertCode(
        Status.Code.INVALID_ARGUMENT, () -> clients.groups().deleteVolumeGroup(DeleteVolumeGroupRequest.getDefaultInstance()));
    assertCode(
        Status.Code.INVALID_ARGUMENT,
        () -> clients.groups().modifyVolumeGroupMembership(ModifyVolumeGroupMembershipRequest.getDefaultInstance()));
  }

  @Test
  void pauseAndResumeByVolumeId() {
    String id = volume("paused");
    clients.replication().enableVolumeReplication(EnableVolumeReplicationRequest.newBuilder().setReplicationSource(volumeSource(id)).build());
    clients.control().pauseReplication(PauseReplicationRequest.newBuilder().setId(id).build());
    var control = clients.control().getReplicationControl(GetReplicationControlRequest.newBuilder().setId(id).build());
    assertThat(control.getPaused()).isTrue();
    assertThat(Instant.ofEpochSecond(control.getPausedSince().getSeconds())).isCloseTo(Instant.now(), org.assertj.core.api.Assertions.within(Duration.ofMinutes(1)));
    clients.control().resumeReplication(ResumeReplicationRequest.newBuilder().setId(id).build());
    assertThat(clients.control().getReplicationControl(GetReplicationControlRequest.newBuilder().setId(id).build()).getPaused()).isFalse();
    assertCode(Status.Code.NOT_FOUND, () -> clients.control().pauseReplication(PauseReplicationRequest.newBuilder().setId("nothing").build()));
    assertCode(Status.Code.INVALID_ARGUMENT, () -> clients.control().pauseReplication(PauseReplicationRequest.getDefaultInstance()));
  }

  @Test
  void secretsAreNotCheckedWhenNoneAreConfigured() {
    assertThat(clients.fence().listClusterFence(ListClusterFenceRequest.newBuilder().putSecrets("any", "thing").build()))
        .isNotNull();
  }
}
