package dev.replcert.refdriver.grpc;

import dev.replcert.api.csi.v1.ControllerGetCapabilitiesRequest;
import dev.replcert.api.csi.v1.ControllerGetCapabilitiesResponse;
import dev.replcert.api.csi.v1.ControllerGrpc;
import dev.replcert.api.csi.v1.ControllerServiceCapability;
import dev.replcert.api.csi.v1.CreateSnapshotRequest;
import dev.replcert.api.csi.v1.CreateSnapshotResponse;
import dev.replcert.api.csi.v1.CreateVolumeRequest;
import dev.replcert.api.csi.v1.CreateVolumeResponse;
import dev.replcert.api.csi.v1.DeleteSnapshotRequest;
import dev.replcert.api.csi.v1.DeleteSnapshotResponse;
import dev.replcert.api.csi.v1.DeleteVolumeRequest;
import dev.replcert.api.csi.v1.DeleteVolumeResponse;
import dev.replcert.api.csi.v1.ListVolumesRequest;
import dev.replcert.api.csi.v1.ListVolumesResponse;
import dev.replcert.api.csi.v1.VolumeCapability;
import dev.replcert.refdriver.DriverException;
import dev.replcert.refdriver.ErrorCode;
import dev.replcert.refdriver.site.VolumeInfo;
import io.grpc.stub.StreamObserver;
import java.util.Comparator;
import java.util.List;

/** CSI Controller: volume and snapshot lifecycle on this site. */
public final class CsiControllerService extends ControllerGrpc.ControllerImplBase {

  /** Capacity when the request has no capacity_range (CSI leaves the default to the plugin). */
  static final long DEFAULT_CAPACITY = 1L << 30;

  private static final List<ControllerServiceCapability.RPC.Type> CAPABILITIES =
      List.of(
          ControllerServiceCapability.RPC.Type.CREATE_DELETE_VOLUME,
          ControllerServiceCapability.RPC.Type.LIST_VOLUMES,
          ControllerServiceCapability.RPC.Type.CREATE_DELETE_SNAPSHOT);

  private final Facade facade;

  public CsiControllerService(Facade facade) {
    this.facade = facade;
  }

  @Override
  public void createVolume(CreateVolumeRequest request, StreamObserver<CreateVolumeResponse> responses) {
    Rpc.unary(
        responses,
        () -> {
          Require.nonEmpty(request.getName(), "name");
          if (request.getVolumeCapabilitiesCount() == 0) {
            throw GrpcErrors.invalidArgument("volume_capabilities is required");
          }
          request.getVolumeCapabilitiesList().forEach(CsiControllerService::checkCapability);
          if (request.hasVolumeContentSource()) {
            // no CLONE_VOLUME capability and no restore: refuse instead of creating an empty volume
            throw GrpcErrors.invalidArgument("volume_content_source is not supported by this driver");
          }
          long capacity = capacity(request);
          VolumeInfo volume =
              facade
                  .locks()
                  .withLock(
                      request.getName(),
                      () -> facade.site().createVolume(request.getName(), capacity, request.getParametersMap()));
          return CreateVolumeResponse.newBuilder().setVolume(Protos.volume(volume)).build();
        });
  }

  static void checkCapability(VolumeCapability capability) {
    if (capability.getAccessTypeCase() == VolumeCapability.AccessTypeCase.ACCESSTYPE_NOT_SET) {
      throw GrpcErrors.invalidArgument("volume_capability.access_type (block or mount) is required");
    }
    if (!capability.hasAccessMode()
        || capability.getAccessMode().getMode() == VolumeCapability.AccessMode.Mode.UNKNOWN) {
      throw GrpcErrors.invalidArgument("volume_capability.access_mode is required");
    }
  }

  private static long capacity(CreateVolumeRequest request) {
    long required = request.getCapacityRange().getRequiredBytes();
    long limit = request.getCapacityRange().getLimitBytes();
    if (required < 0 || limit < 0) {
      throw GrpcErrors.invalidArgument("capacity_range must not be negative");
    }
    if (limit > 0 && required > limit) {
      throw new DriverException(
          ErrorCode.OUT_OF_RANGE, "capacity_range required_bytes " + required + " exceeds limit_bytes " + limit);
    }
    if (required > 0) {
      return required;
    }
    return limit > 0 ? Math.min(limit, DEFAULT_CAPACITY) : DEFAULT_CAPACITY;
  }

  @Override
  public void deleteVolume(DeleteVolumeRequest request, StreamObserver<DeleteVolumeResponse> responses) {
    Rpc.unary(
        responses,
        () -> {
          Require.nonEmpty(request.getVolumeId(), "volume_id");
          facade.locks().withLock(request.getVolumeId(), () -> facade.site().deleteVolume(request.getVolumeId()));
          return DeleteVolumeResponse.getDefaultInstance();
        });
  }

  @Override
  public void listVolumes(ListVolumesRequest request, StreamObserver<ListVolumesResponse> responses) {
    Rpc.unary(
        responses,
        () -> {
          List<VolumeInfo> sorted =
              facade.site().listVolumes().stream().sorted(Comparator.comparing(VolumeInfo::volumeId)).toList();
          Paging<VolumeInfo> page = Paging.of(sorted, request.getMaxEntries(), request.getStartingToken());
          ListVolumesResponse.Builder list = ListVolumesResponse.newBuilder().setNextToken(page.nextToken());
          page.page().forEach(v -> list.addEntries(ListVolumesResponse.Entry.newBuilder().setVolume(Protos.volume(v))));
          return list.build();
        });
  }

  @Override
  public void controllerGetCapabilities(
      ControllerGetCapabilitiesRequest request, StreamObserver<ControllerGetCapabilitiesResponse> responses) {
    Rpc.unary(
        responses,
        () -> {
          ControllerGetCapabilitiesResponse.Builder capabilities = ControllerGetCapabilitiesResponse.newBuilder();
          CAPABILITIES.forEach(
              type ->
                  capabilities.addCapabilities(
                      ControllerServiceCapability.newBuilder()
                          .setRpc(ControllerServiceCapability.RPC.newBuilder().setType(type))));
          return capabilities.build();
        });
  }

  @Override
  public void createSnapshot(CreateSnapshotRequest request, StreamObserver<CreateSnapshotResponse> responses) {
    Rpc.unary(
        responses,
        () -> {
          Require.nonEmpty(request.getName(), "name");
          Require.nonEmpty(request.getSourceVolumeId(), "source_volume_id");
          var snapshot =
              facade
                  .locks()
                  .withLock(
                      request.getName(),
                      () -> facade.site().createSnapshot(request.getSourceVolumeId(), request.getName()));
          return CreateSnapshotResponse.newBuilder().setSnapshot(Protos.snapshot(snapshot)).build();
        });
  }

  @Override
  public void deleteSnapshot(DeleteSnapshotRequest request, StreamObserver<DeleteSnapshotResponse> responses) {
    Rpc.unary(
        responses,
        () -> {
          Require.nonEmpty(request.getSnapshotId(), "snapshot_id");
          facade
              .locks()
              .withLock(request.getSnapshotId(), () -> facade.site().deleteSnapshot(request.getSnapshotId()));
          return DeleteSnapshotResponse.getDefaultInstance();
        });
  }
}
