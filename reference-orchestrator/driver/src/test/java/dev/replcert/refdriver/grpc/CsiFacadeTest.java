package dev.replcert.refdriver.grpc;

import static dev.replcert.refdriver.testing.Requests.MIB;
import static dev.replcert.refdriver.testing.Requests.assertCode;
import static dev.replcert.refdriver.testing.Requests.block;
import static dev.replcert.refdriver.testing.Requests.createVolume;
import static dev.replcert.refdriver.testing.Requests.mount;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.replcert.api.csi.v1.ControllerGetCapabilitiesRequest;
import dev.replcert.api.csi.v1.ControllerServiceCapability;
import dev.replcert.api.csi.v1.CreateSnapshotRequest;
import dev.replcert.api.csi.v1.CreateVolumeRequest;
import dev.replcert.api.csi.v1.DeleteSnapshotRequest;
import dev.replcert.api.csi.v1.DeleteVolumeRequest;
import dev.replcert.api.csi.v1.GetPluginCapabilitiesRequest;
import dev.replcert.api.csi.v1.GetPluginInfoRequest;
import dev.replcert.api.csi.v1.ListVolumesRequest;
import dev.replcert.api.csi.v1.ListVolumesResponse;
import dev.replcert.api.csi.v1.NodeGetCapabilitiesRequest;
import dev.replcert.api.csi.v1.NodeGetInfoRequest;
import dev.replcert.api.csi.v1.NodePublishVolumeRequest;
import dev.replcert.api.csi.v1.NodeServiceCapability;
import dev.replcert.api.csi.v1.NodeStageVolumeRequest;
import dev.replcert.api.csi.v1.NodeUnpublishVolumeRequest;
import dev.replcert.api.csi.v1.NodeUnstageVolumeRequest;
import dev.replcert.api.csi.v1.PluginCapability;
import dev.replcert.api.csi.v1.ProbeRequest;
import dev.replcert.api.csi.v1.VolumeCapability;
import dev.replcert.api.csi.v1.VolumeContentSource;
import dev.replcert.api.refdriver.v1.ReadRequest;
import dev.replcert.api.refdriver.v1.WriteRequest;
import dev.replcert.refdriver.DriverOptions;
import dev.replcert.refdriver.client.HandleFile;
import dev.replcert.refdriver.testing.FakeDriver;
import dev.replcert.refdriver.testing.SiteClients;
import io.grpc.Status;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The CSI services over real sockets, in front of an in-memory engine: validation, paging, handles. */
class CsiFacadeTest {

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

  @Test
  void identityNamesTheDriverAndItsSite() {
    var info = clients.csiIdentity().getPluginInfo(GetPluginInfoRequest.getDefaultInstance());
    assertThat(info.getName()).isEqualTo(DriverOptions.DRIVER_NAME);
    assertThat(info.getVendorVersion()).isNotEmpty();
    assertThat(info.getManifestMap()).containsEntry("site", "east");
    assertThat(clients.csiIdentity().probe(ProbeRequest.getDefaultInstance()).getReady().getValue()).isTrue();
    assertThat(clients.csiIdentity().getPluginCapabilities(GetPluginCapabilitiesRequest.getDefaultInstance()).getCapabilitiesList())
        .extracting(c -> c.getService().getType())
        .containsExactly(PluginCapability.Service.Type.CONTROLLER_SERVICE);
  }

  @Test
  void nodeSocketServesIdentityWithoutControllerService() {
    assertThat(clients.nodeIdentity().getPluginInfo(GetPluginInfoRequest.getDefaultInstance()).getName())
        .isEqualTo(DriverOptions.DRIVER_NAME);
    assertThat(clients.nodeIdentity().getPluginCapabilities(GetPluginCapabilitiesRequest.getDefaultInstance()).getCapabilitiesCount())
        .isZero();
  }

  @Test
  void controllerCapabilities() {
    assertThat(
            clients.controller().controllerGetCapabilities(ControllerGetCapabilitiesRequest.getDefaultInstance()).getCapabilitiesList())
        .extracting(c -> c.getRpc().getType())
        .containsExactlyInAnyOrder(
            ControllerServiceCapability.RPC.Type.CREATE_DELETE_VOLUME,
            ControllerServiceCapability.RPC.Type.LIST_VOLUMES,
            ControllerServiceCapability.RPC.Type.CREATE_DELETE_SNAPSHOT);
  }

  @Test
  void createVolumeValidatesItsRequest() {
    assertThat(assertCode(Status.Code.INVALID_ARGUMENT, () -> clients.controller().createVolume(createVolume("", MIB))).getDescription())
        .isEqualTo("name is required");
    assertCode(
        Status.Code.INVALID_ARGUMENT,
        () -> clients.controller().createVolume(createVolume("no-caps", MIB).toBuilder().clearVolumeCapabilities().build()));
    assertCode(
        Status.Code.INVALID_ARGUMENT,
        () ->
            clients.controller()
                .createVolume(
                    createVolume("from-snapshot", MIB).toBuilder()
                        .setVolumeContentSource(
                            VolumeContentSource.newBuilder()
                                .setSnapshot(VolumeContentSource.SnapshotSource.newBuilder().setSnapshotId("s")))
                        .build()));
    assertCode(
        Status.Code.OUT_OF_RANGE,
        () ->
            clients.controller()
                .createVolume(
                    createVolume("too-big", 2 * MIB).toBuilder()
                        .setCapacityRange(
                            dev.replcert.api.csi.v1.CapacityRange.newBuilder().setRequiredBytes(2 * MIB).setLimitBytes(MIB))
                        .build()));
  }

  @Test
  void createVolumeWithoutCapacityRangeGetsOneGibibyte() {
    var volume =
        clients.controller()
            .createVolume(CreateVolumeRequest.newBuilder().setName("default-size").addVolumeCapabilities(mount()).build())
            .getVolume();
    assertThat(volume.getCapacityBytes()).isEqualTo(1L << 30);
  }

  @Test
  void deleteVolumeNeedsAnId() {
    assertCode(Status.Code.INVALID_ARGUMENT, () -> clients.controller().deleteVolume(DeleteVolumeRequest.getDefaultInstance()));
    String id = clients.controller().createVolume(createVolume("to-delete", MIB)).getVolume().getVolumeId();
    clients.controller().deleteVolume(DeleteVolumeRequest.newBuilder().setVolumeId(id).build());
    clients.controller().deleteVolume(DeleteVolumeRequest.newBuilder().setVolumeId(id).build());
  }

  @Test
  void listVolumesPagesThroughEveryVolumeOnce() {
    for (int i = 0; i < 5; i++) {
      clients.controller().createVolume(createVolume("paged-" + i, MIB));
    }
    List<String> seen = new ArrayList<>();
    String token = "";
    do {
      ListVolumesResponse page =
          clients.controller().listVolumes(ListVolumesRequest.newBuilder().setMaxEntries(2).setStartingToken(token).build());
      assertThat(page.getEntriesCount()).isLessThanOrEqualTo(2);
      page.getEntriesList().forEach(e -> seen.add(e.getVolume().getVolumeId()));
      token = page.getNextToken();
    } while (!token.isEmpty());
    assertThat(seen).doesNotHaveDuplicates().hasSize(driver.fake().listVolumes().size());
    assertCode(
        Status.Code.ABORTED,
        () -> clients.controller().listVolumes(ListVolumesRequest.newBuilder().setStartingToken("not-a-token").build()));
  }

  @Test
  void snapshotsAreCreatedAndDeleted() {
    String source = clients.controller().createVolume(createVolume("snapshot-source", MIB)).getVolume().getVolumeId();
    var snapshot =
        clients.controller()
            .createSnapshot(CreateSnapshotRequest.newBuilder().setName("snap-1").setSourceVolumeId(source).build())
            .getSnapshot();
    assertThat(snapshot.getSourceVolumeId()).isEqualTo(source);
    assertThat(snapshot.getReadyToUse()).isTrue();
    assertThat(snapshot.hasCreationTime()).isTrue();
    clients.controller().deleteSnapshot(DeleteSnapshotRequest.newBuilder().setSnapshotId(snapshot.getSnapshotId()).build());
    assertCode(
        Status.Code.INVALID_ARGUMENT,
        () -> clients.controller().createSnapshot(CreateSnapshotRequest.newBuilder().setSourceVolumeId(source).build()));
    assertCode(
        Status.Code.INVALID_ARGUMENT,
        () -> clients.controller().createSnapshot(CreateSnapshotRequest.newBuilder().setName("no-source").build()));
    assertCode(Status.Code.INVALID_ARGUMENT, () -> clients.controller().deleteSnapshot(DeleteSnapshotRequest.getDefaultInstance()));
  }

  @Test
  void nodeInfoAndCapabilities() {
    assertThat(clients.node("east-node-2").nodeGetInfo(NodeGetInfoRequest.getDefaultInstance()).getNodeId())
        .isEqualTo("east-node-2");
    assertThat(clients.node().nodeGetCapabilities(NodeGetCapabilitiesRequest.getDefaultInstance()).getCapabilitiesList())
        .extracting(c -> c.getRpc().getType())
        .containsExactly(NodeServiceCapability.RPC.Type.STAGE_UNSTAGE_VOLUME);
  }

  @Test
  void stageValidatesAndIsIdempotent() {
    String id = clients.controller().createVolume(createVolume("staged", MIB)).getVolume().getVolumeId();
    String staging = driver.directory().resolve("staging-1").toString();
    NodeStageVolumeRequest stage =
        NodeStageVolumeRequest.newBuilder().setVolumeId(id).setStagingTargetPath(staging).setVolumeCapability(mount()).build();
    clients.node().nodeStageVolume(stage);
    clients.node().nodeStageVolume(stage);
    assertCode(
        Status.Code.ALREADY_EXISTS,
        () -> clients.node().nodeStageVolume(stage.toBuilder().setStagingTargetPath(staging + "-other").build()));
    assertCode(Status.Code.INVALID_ARGUMENT, () -> clients.node().nodeStageVolume(stage.toBuilder().clearVolumeId().build()));
    assertCode(
        Status.Code.INVALID_ARGUMENT, () -> clients.node().nodeStageVolume(stage.toBuilder().clearStagingTargetPath().build()));
    assertCode(
        Status.Code.INVALID_ARGUMENT, () -> clients.node().nodeStageVolume(stage.toBuilder().clearVolumeCapability().build()));
    assertCode(Status.Code.NOT_FOUND, () -> clients.node().nodeStageVolume(stage.toBuilder().setVolumeId("missing").build()));
    NodeUnstageVolumeRequest unstage =
        NodeUnstageVolumeRequest.newBuilder().setVolumeId(id).setStagingTargetPath(staging).build();
    clients.node().nodeUnstageVolume(unstage);
    clients.node().nodeUnstageVolume(unstage);
    assertCode(
        Status.Code.INVALID_ARGUMENT, () -> clients.node().nodeUnstageVolume(unstage.toBuilder().clearStagingTargetPath().build()));
  }

  @Test
  void publishWritesTheHandleThroughWhichDataFlows() throws Exception {
    String id = clients.controller().createVolume(createVolume("published", MIB)).getVolume().getVolumeId();
    Path target = driver.directory().resolve("pods/p1/volume");
    NodePublishVolumeRequest publish = publish(id, target, mount());

    clients.node().nodePublishVolume(publish);

    assertThat(target.resolve(HandleFile.NAME)).isRegularFile();
    HandleFile.Handle handle = HandleFile.read(target);
    assertThat(handle.volumeId()).isEqualTo(id);
    assertThat(Path.of(handle.socket())).isEqualTo(driver.site().socket().toAbsolutePath());
    clients.data()
        .write(WriteRequest.newBuilder().setHandle(handle.handle()).setOffset(4096).setData(ByteString.copyFromUtf8("record-1")).build());
    assertThat(
            clients.data().read(ReadRequest.newBuilder().setHandle(handle.handle()).setOffset(4096).setLength(8).build()).getData().toStringUtf8())
        .isEqualTo("record-1");

    clients.node().nodeUnpublishVolume(NodeUnpublishVolumeRequest.newBuilder().setVolumeId(id).setTargetPath(target.toString()).build());
    assertThat(target).doesNotExist();
  }

  @Test
  void blockPublishWritesTheHandleAsTheTargetFile() {
    String id = clients.controller().createVolume(createVolume("block", MIB)).getVolume().getVolumeId();
    Path target = driver.directory().resolve("devices/block-1");
    clients.node().nodePublishVolume(publish(id, target, block()));
    assertThat(target).isRegularFile();
    assertThat(HandleFile.read(target).volumeId()).isEqualTo(id);
    clients.node().nodeUnpublishVolume(NodeUnpublishVolumeRequest.newBuilder().setVolumeId(id).setTargetPath(target.toString()).build());
    assertThat(target).doesNotExist();
  }

  @Test
  void publishIsIdempotentPerCsi() throws Exception {
    String id = clients.controller().createVolume(createVolume("idempotent-publish", MIB)).getVolume().getVolumeId();
    Path target = driver.directory().resolve("pods/p2/volume");
    NodePublishVolumeRequest publish = publish(id, target, mount());
    clients.node().nodePublishVolume(publish);
    String handle = HandleFile.read(target).handle();

    clients.node().nodePublishVolume(publish);
    assertThat(HandleFile.read(target).handle()).isEqualTo(handle);

    assertCode(Status.Code.ALREADY_EXISTS, () -> clients.node().nodePublishVolume(publish.toBuilder().setReadonly(true).build()));
    assertCode(
        Status.Code.FAILED_PRECONDITION,
        () -> clients.node("east-node-2").nodePublishVolume(publish(id, driver.directory().resolve("pods/p3/volume"), mount())));
    NodeUnpublishVolumeRequest unpublish =
        NodeUnpublishVolumeRequest.newBuilder().setVolumeId(id).setTargetPath(target.toString()).build();
    clients.node().nodeUnpublishVolume(unpublish);
    clients.node().nodeUnpublishVolume(unpublish);
    assertThat(Files.exists(target)).isFalse();
  }

  @Test
  void publishValidatesItsRequest() {
    String id = clients.controller().createVolume(createVolume("publish-invalid", MIB)).getVolume().getVolumeId();
    NodePublishVolumeRequest publish = publish(id, driver.directory().resolve("pods/p4/volume"), mount());
    assertCode(Status.Code.INVALID_ARGUMENT, () -> clients.node().nodePublishVolume(publish.toBuilder().clearVolumeId().build()));
    assertCode(Status.Code.INVALID_ARGUMENT, () -> clients.node().nodePublishVolume(publish.toBuilder().clearTargetPath().build()));
    assertCode(
        Status.Code.INVALID_ARGUMENT, () -> clients.node().nodePublishVolume(publish.toBuilder().clearVolumeCapability().build()));
    assertCode(
        Status.Code.INVALID_ARGUMENT,
        () -> clients.node().nodePublishVolume(publish.toBuilder().setVolumeCapability(VolumeCapability.getDefaultInstance()).build()));
    assertCode(Status.Code.NOT_FOUND, () -> clients.node().nodePublishVolume(publish.toBuilder().setVolumeId("missing").build()));
    assertCode(
        Status.Code.INVALID_ARGUMENT,
        () -> clients.node().nodeUnpublishVolume(NodeUnpublishVolumeRequest.newBuilder().setVolumeId(id).build()));
    assertCode(
        Status.Code.INVALID_ARGUMENT,
        () -> clients.node().nodeUnpublishVolume(NodeUnpublishVolumeRequest.newBuilder().setTargetPath("/x").build()));
  }

  static NodePublishVolumeRequest publish(String volumeId, Path target, VolumeCapability capability) {
    return NodePublishVolumeRequest.newBuilder()
        .setVolumeId(volumeId)
        .setTargetPath(target.toString())
        .setVolumeCapability(capability)
        .build();
  }
}
