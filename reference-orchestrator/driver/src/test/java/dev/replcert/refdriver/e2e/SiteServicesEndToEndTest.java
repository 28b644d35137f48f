package dev.replcert.refdriver.e2e;

import static dev.replcert.refdriver.testing.Requests.MIB;
import static dev.replcert.refdriver.testing.Requests.assertCode;
import static dev.replcert.refdriver.testing.Requests.volumeSource;
import static org.assertj.core.api.Assertions.assertThat;

import dev.replcert.api.csi.v1.CreateSnapshotRequest;
import dev.replcert.api.csi.v1.DeleteSnapshotRequest;
import dev.replcert.api.csi.v1.DeleteVolumeRequest;
import dev.replcert.api.csi.v1.ListVolumesRequest;
import dev.replcert.api.csiaddons.fence.CIDR;
import dev.replcert.api.csiaddons.fence.FenceClusterNetworkRequest;
import dev.replcert.api.csiaddons.fence.GetFenceClientsRequest;
import dev.replcert.api.csiaddons.fence.ListClusterFenceRequest;
import dev.replcert.api.csiaddons.fence.UnfenceClusterNetworkRequest;
import dev.replcert.api.csiaddons.volumegroup.ControllerGetVolumeGroupRequest;
import dev.replcert.api.csiaddons.volumegroup.CreateVolumeGroupRequest;
import dev.replcert.api.csiaddons.volumegroup.DeleteVolumeGroupRequest;
import dev.replcert.api.csiaddons.volumegroup.ListVolumeGroupsRequest;
import dev.replcert.api.csiaddons.volumegroup.ModifyVolumeGroupMembershipRequest;
import dev.replcert.refdriver.testing.Records;
import dev.replcert.refdriver.testing.Requests;
import dev.replcert.refdriver.testing.SiteClients;
import dev.replcert.refdriver.testing.TwoSites;
import io.grpc.Status;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** CSI Controller, volume groups and network fence against the real engine. */
class SiteServicesEndToEndTest {

  private static TwoSites sites;
  private static SiteClients east;

  @BeforeAll
  static void start() {
    sites = TwoSites.start();
    east = sites.eastClients();
  }

  @AfterAll
  static void stop() {
    sites.close();
  }

  @Test
  void volumesAndSnapshotsLifecycle() {
    String id = east.createVolume("svc-volume", 2 * MIB);
    assertThat(east.createVolume("svc-volume", 2 * MIB)).as("CreateVolume is idempotent by name").isEqualTo(id);
    assertCode(Status.Code.ALREADY_EXISTS, () -> east.createVolume("svc-volume", 3 * MIB));
    assertThat(east.controller().listVolumes(ListVolumesRequest.getDefaultInstance()).getEntriesList())
        .anySatisfy(e -> assertThat(e.getVolume().getVolumeId()).isEqualTo(id));

    var snapshot =
        east.controller()
            .createSnapshot(CreateSnapshotRequest.newBuilder().setName("svc-snap").setSourceVolumeId(id).build())
            .getSnapshot();
    assertThat(snapshot.getSourceVolumeId()).isEqualTo(id);
    assertThat(snapshot.getSizeBytes()).isEqualTo(2 * MIB);
    east.controller().deleteSnapshot(DeleteSnapshotRequest.newBuilder().setSnapshotId(snapshot.getSnapshotId()).build());
    assertCode(
        Status.Code.NOT_FOUND,
        () -> east.controller().createSnapshot(CreateSnapshotRequest.newBuilder().setName("svc-orphan").setSourceVolumeId("nope").build()));

    east.controller().deleteVolume(DeleteVolumeRequest.newBuilder().setVolumeId(id).build());
    east.controller().deleteVolume(DeleteVolumeRequest.newBuilder().setVolumeId(id).build());
    assertCode(Status.Code.NOT_FOUND, () -> east.publish(id, sites.target("deleted"), false));
  }

  @Test
  void volumeGroupLifecycle() {
    String a = east.createVolume("svc-group-a", MIB);
    String b = east.createVolume("svc-group-b", MIB);
    var groups = east.groups();
    String group =
        groups.createVolumeGroup(CreateVolumeGroupRequest.newBuilder().setName("svc-group").addVolumeIds(a).build()).getVolumeGroup().getVolumeGroupId();
    assertThat(groups.createVolumeGroup(CreateVolumeGroupRequest.newBuilder().setName("svc-group").addVolumeIds(a).build()).getVolumeGroup().getVolumeGroupId())
        .isEqualTo(group);
    var modified =
        groups.modifyVolumeGroupMembership(
                ModifyVolumeGroupMembershipRequest.newBuilder().setVolumeGroupId(group).addVolumeIds(a).addVolumeIds(b).build())
            .getVolumeGroup();
    assertThat(modified.getVolumesList()).extracting(v -> v.getVolumeId()).containsExactlyInAnyOrder(a, b);
    assertThat(groups.controllerGetVolumeGroup(ControllerGetVolumeGroupRequest.newBuilder().setVolumeGroupId(group).build()).getVolumeGroup().getVolumesCount())
        .isEqualTo(2);
    assertThat(groups.listVolumeGroups(ListVolumeGroupsRequest.getDefaultInstance()).getEntriesList())
        .anySatisfy(e -> assertThat(e.getVolumeGroup().getVolumeGroupId()).isEqualTo(group));
    groups.deleteVolumeGroup(DeleteVolumeGroupRequest.newBuilder().setVolumeGroupId(group).build());
    assertCode(
        Status.Code.NOT_FOUND,
        () -> groups.controllerGetVolumeGroup(ControllerGetVolumeGroupRequest.newBuilder().setVolumeGroupId(group).build()));
    assertCode(Status.Code.NOT_FOUND, () -> east.enable(Requests.groupSource(group)));
  }

  @Test
  void aFencedNodeCannotPublishOrWriteUntilUnfenced() {
    String id = east.createVolume("svc-fence", MIB);
    east.enable(volumeSource(id));
    String handle = east.publish(id, sites.target("fence-before"), false);
    var clients = east.fence().getFenceClients(GetFenceClientsRequest.getDefaultInstance()).getClientsList();
    assertThat(clients).singleElement().satisfies(c -> {
      assertThat(c.getId()).isEqualTo(TwoSites.EAST_NODE.id());
      assertThat(c.getAddressesList()).extracting(CIDR::getCidr).containsExactly(TwoSites.EAST_NODE.address() + "/32");
    });
    CIDR node = CIDR.newBuilder().setCidr("192.0.2.0/24").build();

    east.fence().fenceClusterNetwork(FenceClusterNetworkRequest.newBuilder().addCidrs(node).build());
    try {
      assertThat(east.fence().listClusterFence(ListClusterFenceRequest.getDefaultInstance()).getCidrsList()).containsExactly(node);
      assertCode(Status.Code.PERMISSION_DENIED, () -> east.write(handle, 0, Records.of(1, 512, 7)));
      assertCode(Status.Code.PERMISSION_DENIED, () -> east.publish(id, sites.target("fence-during"), false));
    } finally {
      east.fence().unfenceClusterNetwork(UnfenceClusterNetworkRequest.newBuilder().addCidrs(node).build());
    }

    assertThat(east.fence().listClusterFence(ListClusterFenceRequest.getDefaultInstance()).getCidrsList()).isEmpty();
    east.write(handle, 0, Records.of(1, 512, 7));
  }
}
