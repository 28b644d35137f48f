package dev.replcert.refdriver.grpc;

import dev.replcert.api.csi.v1.NodeGetCapabilitiesRequest;
import dev.replcert.api.csi.v1.NodeGetCapabilitiesResponse;
import dev.replcert.api.csi.v1.NodeGetInfoRequest;
import dev.replcert.api.csi.v1.NodeGetInfoResponse;
import dev.replcert.api.csi.v1.NodeGrpc;
import dev.replcert.api.csi.v1.NodePublishVolumeRequest;
import dev.replcert.api.csi.v1.NodePublishVolumeResponse;
import dev.replcert.api.csi.v1.NodeServiceCapability;
import dev.replcert.api.csi.v1.NodeStageVolumeRequest;
import dev.replcert.api.csi.v1.NodeStageVolumeResponse;
import dev.replcert.api.csi.v1.NodeUnpublishVolumeRequest;
import dev.replcert.api.csi.v1.NodeUnpublishVolumeResponse;
import dev.replcert.api.csi.v1.NodeUnstageVolumeRequest;
import dev.replcert.api.csi.v1.NodeUnstageVolumeResponse;
import dev.replcert.api.csi.v1.VolumeCapability;
import dev.replcert.refdriver.DriverException;
import dev.replcert.refdriver.ErrorCode;
import dev.replcert.refdriver.client.HandleFile;
import dev.replcert.refdriver.site.Publication;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.nio.file.Path;

/**
 * CSI Node of one node of the site. Staging is only recorded (there is no device to attach);
 * publishing asks the engine for a handle and writes it at the target path ({@link HandleFile}).
 */
public final class CsiNodeService extends NodeGrpc.NodeImplBase {

  private final Facade facade;
  private final String nodeId;

  public CsiNodeService(Facade facade, String nodeId) {
    this.facade = facade;
    this.nodeId = nodeId;
  }

  @Override
  public void nodeStageVolume(NodeStageVolumeRequest request, StreamObserver<NodeStageVolumeResponse> responses) {
    Rpc.unary(
        responses,
        () -> {
          Require.nonEmpty(request.getVolumeId(), "volume_id");
          Require.nonEmpty(request.getStagingTargetPath(), "staging_target_path");
          if (!request.hasVolumeCapability()) {
            throw GrpcErrors.invalidArgument("volume_capability is required");
          }
          CsiControllerService.checkCapability(request.getVolumeCapability());
          facade.site().volume(request.getVolumeId()); // NOT_FOUND for an unknown volume
          facade
              .publications()
              .stage(
                  request.getVolumeId(),
                  new NodePublications.Staged(nodeId, request.getStagingTargetPath(), request.getVolumeCapability()));
          return NodeStageVolumeResponse.getDefaultInstance();
        });
  }

  @Override
  public void nodeUnstageVolume(
      NodeUnstageVolumeRequest request, StreamObserver<NodeUnstageVolumeResponse> responses) {
    Rpc.unary(
        responses,
        () -> {
          Require.nonEmpty(request.getVolumeId(), "volume_id");
          Require.nonEmpty(request.getStagingTargetPath(), "staging_target_path");
          facade.publications().unstage(nodeId, request.getVolumeId(), request.getStagingTargetPath());
          return NodeUnstageVolumeResponse.getDefaultInstance();
        });
  }

  @Override
  public void nodePublishVolume(
      NodePublishVolumeRequest request, StreamObserver<NodePublishVolumeResponse> responses) {
    Rpc.unary(
        responses,
        () -> {
          String volumeId = Require.nonEmpty(request.getVolumeId(), "volume_id");
          String target = Require.nonEmpty(request.getTargetPath(), "target_path");
          if (!request.hasVolumeCapability()) {
            throw GrpcErrors.invalidArgument("volume_capability is required");
          }
          VolumeCapability capability = request.getVolumeCapability();
          CsiControllerService.checkCapability(capability);
          boolean readOnly = request.getReadonly() || readerOnly(capability);
          var published =
              new NodePublications.Published(nodeId, volumeId, request.getStagingTargetPath(), capability, readOnly);
          facade.locks().withLock(target, () -> publish(target, published));
          return NodePublishVolumeResponse.getDefaultInstance();
        });
  }

  private void publish(String target, NodePublications.Published published) {
    facade.publications().checkPublish(target, published);
    // asked again on a repeat too: the engine's answer is the same publication, and the file is
    // rewritten in case someone removed it
    Publication publication = facade.site().publish(published.volumeId(), nodeId, target, published.readOnly());
    boolean block = published.capability().hasBlock();
    try {
      HandleFile.write(
          Path.of(target),
          block,
          new HandleFile.Handle(
              publication.handle(), facade.dataPathSocket().toAbsolutePath().toString(), published.volumeId()));
    } catch (IOException e) {
      facade.site().unpublish(published.volumeId(), target);
      throw new DriverException(ErrorCode.INTERNAL, "cannot write the volume handle at " + target + ": " + e, e);
    }
    facade.publications().recordPublish(target, published);
  }

  private static boolean readerOnly(VolumeCapability capability) {
    return switch (capability.getAccessMode().getMode()) {
      case SINGLE_NODE_READER_ONLY, MULTI_NODE_READER_ONLY -> true;
      default -> false;
    };
  }

  @Override
  public void nodeUnpublishVolume(
      NodeUnpublishVolumeRequest request, StreamObserver<NodeUnpublishVolumeResponse> responses) {
    Rpc.unary(
        responses,
        () -> {
          String volumeId = Require.nonEmpty(request.getVolumeId(), "volume_id");
          String target = Require.nonEmpty(request.getTargetPath(), "target_path");
          facade
              .locks()
              .withLock(
                  target,
                  () -> {
                    facade.site().unpublish(volumeId, target);
                    try {
                      HandleFile.remove(Path.of(target));
                    } catch (IOException e) {
                      throw new DriverException(
                          ErrorCode.INTERNAL, "cannot remove the volume handle at " + target + ": " + e, e);
                    }
                    facade.publications().removePublish(target);
                  });
          return NodeUnpublishVolumeResponse.getDefaultInstance();
        });
  }

  @Override
  public void nodeGetCapabilities(
      NodeGetCapabilitiesRequest request, StreamObserver<NodeGetCapabilitiesResponse> responses) {
    Rpc.unary(
        responses,
        () ->
            NodeGetCapabilitiesResponse.newBuilder()
                .addCapabilities(
                    NodeServiceCapability.newBuilder()
                        .setRpc(
                            NodeServiceCapability.RPC.newBuilder()
                                .setType(NodeServiceCapability.RPC.Type.STAGE_UNSTAGE_VOLUME)))
                .build());
  }

  @Override
  public void nodeGetInfo(NodeGetInfoRequest request, StreamObserver<NodeGetInfoResponse> responses) {
    Rpc.unary(responses, () -> NodeGetInfoResponse.newBuilder().setNodeId(nodeId).build());
  }
}
