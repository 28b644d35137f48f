package dev.replcert.lab.substrate;

import dev.replcert.api.csi.v1.ControllerGrpc;
import dev.replcert.api.csi.v1.GetPluginInfoRequest;
import dev.replcert.api.csi.v1.IdentityGrpc;
import dev.replcert.api.csi.v1.NodeGrpc;
import dev.replcert.refdriver.DriverOptions.NodeSpec;
import dev.replcert.refdriver.client.DriverChannels;
import dev.replcert.refdriver.server.DriverSite;
import io.grpc.ManagedChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The substrate's own connection to one driver site: the CSI socket (Identity, Controller) and one
 * CSI Node socket per node, as a real cluster's sidecars and kubelets each hold theirs. The
 * channels reconnect on their own when the site is stopped and started again.
 */
public final class SiteDriver implements AutoCloseable {

  private final ManagedChannel controller;
  private final Map<String, ManagedChannel> nodes = new LinkedHashMap<>();
  private final Duration rpcTimeout;

  /**
   * @param socket the site's CSI socket; node sockets are found next to it ({@link
   *     DriverSite#nodeSocketPath})
   */
  public SiteDriver(Path socket, List<NodeSpec> nodeSpecs, Duration rpcTimeout) {
    this.rpcTimeout = rpcTimeout;
    this.controller = DriverChannels.forSocket(socket);
    nodeSpecs.forEach(
        n ->
            nodes.put(n.id(), DriverChannels.forSocket(DriverSite.nodeSocketPath(socket, n.id()))));
  }

  public Duration rpcTimeout() {
    return rpcTimeout;
  }

  public IdentityGrpc.IdentityBlockingStub identity() {
    return IdentityGrpc.newBlockingStub(controller)
        .withDeadlineAfter(rpcTimeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  public ControllerGrpc.ControllerBlockingStub controller() {
    return ControllerGrpc.newBlockingStub(controller)
        .withDeadlineAfter(rpcTimeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  public NodeGrpc.NodeBlockingStub node(String nodeId) {
    ManagedChannel channel = nodes.get(nodeId);
    if (channel == null) {
      throw new IllegalArgumentException(
          "no CSI node socket for node " + nodeId + "; nodes: " + nodes.keySet());
    }
    return NodeGrpc.newBlockingStub(channel)
        .withDeadlineAfter(rpcTimeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /**
   * The driver's name (GetPluginInfo), waiting for the site to answer: StorageClasses and PVs name
   * their driver by it.
   */
  public String driverName(Duration timeout) {
    return IdentityGrpc.newBlockingStub(controller)
        .withWaitForReady()
        .withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS)
        .getPluginInfo(GetPluginInfoRequest.getDefaultInstance())
        .getName();
  }

  @Override
  public void close() {
    controller.shutdownNow();
    nodes.values().forEach(ManagedChannel::shutdownNow);
    try {
      controller.awaitTermination(5, TimeUnit.SECONDS);
      for (ManagedChannel channel : nodes.values()) {
        channel.awaitTermination(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
