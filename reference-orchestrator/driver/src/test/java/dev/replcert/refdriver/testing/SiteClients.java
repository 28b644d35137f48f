package dev.replcert.refdriver.testing;

import dev.replcert.api.csi.v1.ControllerGrpc;
import dev.replcert.api.csi.v1.IdentityGrpc;
import dev.replcert.api.csi.v1.NodeGrpc;
import dev.replcert.api.csiaddons.fence.FenceControllerGrpc;
import dev.replcert.api.refdriver.v1.DataPathGrpc;
import dev.replcert.api.refdriver.v1.ReplicationControlGrpc;
import com.google.protobuf.ByteString;
import dev.replcert.api.csi.v1.NodePublishVolumeRequest;
import dev.replcert.api.csi.v1.NodeUnpublishVolumeRequest;
import dev.replcert.api.csiaddons.replication.DemoteVolumeRequest;
import dev.replcert.api.csiaddons.replication.DisableVolumeReplicationRequest;
import dev.replcert.api.csiaddons.replication.EnableVolumeReplicationRequest;
import dev.replcert.api.csiaddons.replication.GetReplicationDestinationInfoRequest;
import dev.replcert.api.csiaddons.replication.GetVolumeReplicationInfoRequest;
import dev.replcert.api.csiaddons.replication.GetVolumeReplicationInfoResponse;
import dev.replcert.api.csiaddons.replication.PromoteVolumeRequest;
import dev.replcert.api.csiaddons.replication.ReplicationDestination;
import dev.replcert.api.csiaddons.replication.ReplicationSource;
import dev.replcert.api.csiaddons.replication.ResyncVolumeRequest;
import dev.replcert.api.refdriver.v1.FlushRequest;
import dev.replcert.api.refdriver.v1.ReadRequest;
import dev.replcert.api.refdriver.v1.WriteRequest;
import dev.replcert.refdriver.DriverOptions;
import dev.replcert.refdriver.client.HandleFile;
import dev.replcert.refdriver.client.DriverChannels;
import dev.replcert.refdriver.server.DriverSite;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ClientInterceptors;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Blocking stubs for every service of one running site, over its real unix sockets. Every call
 * gets a 20 s deadline unless the test sets one, so a hung driver fails a test instead of hanging
 * the build.
 */
public final class SiteClients implements AutoCloseable {

  private static final long DEFAULT_DEADLINE_SECONDS = 20;

  private final List<ManagedChannel> channels = new ArrayList<>();
  private final Map<String, Channel> nodeChannels = new LinkedHashMap<>();
  private final Channel main;
  private final Channel addons;
  private final String firstNode;

  public SiteClients(DriverSite site) {
    this.main = open(site.socket());
    this.addons = site.addonsSocket().equals(site.socket()) ? main : open(site.addonsSocket());
    for (DriverOptions.NodeSpec node : site.options().nodes()) {
      nodeChannels.put(node.id(), open(site.nodeSocket(node.id())));
    }
    this.firstNode = site.options().nodes().get(0).id();
  }

  private Channel open(Path socket) {
    ManagedChannel channel = DriverChannels.forSocket(socket);
    channels.add(channel);
    return ClientInterceptors.intercept(channel, new DefaultDeadline());
  }

  public IdentityGrpc.IdentityBlockingStub csiIdentity() {
    return IdentityGrpc.newBlockingStub(main);
  }

  public ControllerGrpc.ControllerBlockingStub controller() {
    return ControllerGrpc.newBlockingStub(main);
  }

  public NodeGrpc.NodeBlockingStub node() {
    return node(firstNode);
  }

  public NodeGrpc.NodeBlockingStub node(String nodeId) {
    return NodeGrpc.newBlockingStub(nodeChannels.get(nodeId));
  }

  public IdentityGrpc.IdentityBlockingStub nodeIdentity() {
    return IdentityGrpc.newBlockingStub(nodeChannels.get(firstNode));
  }

  public dev.replcert.api.csiaddons.identity.IdentityGrpc.IdentityBlockingStub addonsIdentity() {
    return dev.replcert.api.csiaddons.identity.IdentityGrpc.newBlockingStub(addons);
  }

  public dev.replcert.api.csiaddons.replication.ControllerGrpc.ControllerBlockingStub replication() {
    return dev.replcert.api.csiaddons.replication.ControllerGrpc.newBlockingStub(addons);
  }

  public dev.replcert.api.csiaddons.replication.ControllerGrpc.ControllerFutureStub replicationAsync() {
    return dev.replcert.api.csiaddons.replication.ControllerGrpc.newFutureStub(addons);
  }

  public FenceControllerGrpc.FenceControllerBlockingStub fence() {
    return FenceControllerGrpc.newBlockingStub(addons);
  }

  public dev.replcert.api.csiaddons.volumegroup.ControllerGrpc.ControllerBlockingStub groups() {
    return dev.replcert.api.csiaddons.volumegroup.ControllerGrpc.newBlockingStub(addons);
  }

  public ReplicationControlGrpc.ReplicationControlBlockingStub control() {
    return ReplicationControlGrpc.newBlockingStub(main);
  }

  public DataPathGrpc.DataPathBlockingStub data() {
    return DataPathGrpc.newBlockingStub(main);
  }

  // ------------------------------------------------------------------ success-path helpers

  /** CreateVolume (mount, SINGLE_NODE_WRITER); returns the volume id. */
  public String createVolume(String name, long bytes) {
    return controller().createVolume(Requests.createVolume(name, bytes)).getVolume().getVolumeId();
  }

  /** NodePublishVolume (mount) on the first node; returns the handle written at the target. */
  public String publish(String volumeId, Path target, boolean readOnly) {
    node()
        .nodePublishVolume(
            NodePublishVolumeRequest.newBuilder()
                .setVolumeId(volumeId)
                .setTargetPath(target.toString())
                .setVolumeCapability(Requests.mount())
                .setReadonly(readOnly)
                .build());
    return HandleFile.read(target).handle();
  }

  public void unpublish(String volumeId, Path target) {
    node()
        .nodeUnpublishVolume(
            NodeUnpublishVolumeRequest.newBuilder().setVolumeId(volumeId).setTargetPath(target.toString()).build());
  }

  public void write(String handle, long offset, byte[] bytes) {
    data().write(WriteRequest.newBuilder().setHandle(handle).setOffset(offset).setData(ByteString.copyFrom(bytes)).build());
    data().flush(FlushRequest.newBuilder().setHandle(handle).build());
  }

  public byte[] read(String handle, long offset, int length) {
    return data().read(ReadRequest.newBuilder().setHandle(handle).setOffset(offset).setLength(length).build()).getData().toByteArray();
  }

  public void enable(ReplicationSource source) {
    replication().enableVolumeReplication(EnableVolumeReplicationRequest.newBuilder().setReplicationSource(source).build());
  }

  public void disable(ReplicationSource source) {
    replication().disableVolumeReplication(DisableVolumeReplicationRequest.newBuilder().setReplicationSource(source).build());
  }

  public void promote(ReplicationSource source, boolean force) {
    replication().promoteVolume(PromoteVolumeRequest.newBuilder().setReplicationSource(source).setForce(force).build());
  }

  public void demote(ReplicationSource source) {
    replication().demoteVolume(DemoteVolumeRequest.newBuilder().setReplicationSource(source).build());
  }

  public boolean resync(ReplicationSource source, boolean force) {
    return replication()
        .resyncVolume(ResyncVolumeRequest.newBuilder().setReplicationSource(source).setForce(force).build())
        .getReady();
  }

  public GetVolumeReplicationInfoResponse info(ReplicationSource source) {
    return replication()
        .getVolumeReplicationInfo(GetVolumeReplicationInfoRequest.newBuilder().setReplicationSource(source).build());
  }

  public ReplicationDestination destination(ReplicationSource source) {
    return replication()
        .getReplicationDestinationInfo(GetReplicationDestinationInfoRequest.newBuilder().setReplicationSource(source).build())
        .getReplicationDestination();
  }

  @Override
  public void close() {
    channels.forEach(ManagedChannel::shutdownNow);
    try {
      for (ManagedChannel channel : channels) {
        channel.awaitTermination(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static final class DefaultDeadline implements ClientInterceptor {
    @Override
    public <Q, A> ClientCall<Q, A> interceptCall(MethodDescriptor<Q, A> method, CallOptions options, Channel next) {
      CallOptions withDeadline =
          options.getDeadline() == null ? options.withDeadlineAfter(DEFAULT_DEADLINE_SECONDS, TimeUnit.SECONDS) : options;
      return next.newCall(method, withDeadline);
    }
  }
}
