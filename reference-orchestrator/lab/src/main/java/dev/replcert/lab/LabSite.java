package dev.replcert.lab;

import dev.replcert.api.csi.v1.IdentityGrpc;
import dev.replcert.api.csi.v1.ProbeRequest;
import dev.replcert.harness.config.SiteEndpoint;
import dev.replcert.harness.endpoint.ChannelDriverEndpoint;
import dev.replcert.harness.grpc.CallLog;
import dev.replcert.harness.record.Redactor;
import dev.replcert.refdriver.DriverOptions;
import dev.replcert.refdriver.server.DriverSite;
import io.grpc.Channel;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * One site of the lab: the bundled driver's site (sockets, replication link, volumes under its
 * root) and the harness's channels to it. The site can be stopped and started again with its state
 * on disk, which is how the lab makes a site disaster.
 */
final class LabSite implements AutoCloseable {

  private final DriverOptions options;
  private final ChannelDriverEndpoint endpoint;
  private DriverSite running;
  // while down, the replication link's listen port is held so that no other lab in the JVM takes it
  private Optional<PortHold> held = Optional.empty();

  LabSite(DriverOptions options, CallLog log, Redactor redactor) {
    this.options = options;
    this.running = DriverSite.start(options);
    String node = options.nodes().get(0).id();
    this.endpoint =
        new ChannelDriverEndpoint(
            options.site(),
            new SiteEndpoint(
                "unix://" + running.socket(), null, "unix://" + running.nodeSocket(node)),
            Map.of(),
            log,
            redactor);
  }

  String name() {
    return options.site();
  }

  ChannelDriverEndpoint endpoint() {
    return endpoint;
  }

  synchronized boolean isDown() {
    return running == null;
  }

  /**
   * Stops the site: its sockets and its end of the replication link go away (the link's port is
   * held, see {@link PortHold}).
   */
  synchronized void stop() {
    if (running != null) {
      try {
        running.close();
      } finally {
        running = null;
        held = PortHold.tryOn(options.listen().getPort(), "the replication link of lab site " + name());
      }
    }
  }

  /** Starts the site again from its root, with every volume and its replication state. */
  synchronized void start() {
    if (running == null) {
      release();
      running = DriverSite.start(options);
      endpoint.resetConnectBackoff();
    }
  }

  /**
   * Waits until the site answers CSI Probe (the channel may still be between reconnect attempts
   * right after a start), or fails after the timeout naming the site and the last status.
   */
  void awaitAnswering(Duration timeout) {
    Map<String, Channel> channels = Map.of("controller", endpoint.csi(), "node", endpoint.node());
    for (Map.Entry<String, Channel> channel : channels.entrySet()) {
      try {
        IdentityGrpc.newBlockingStub(channel.getValue())
            .withWaitForReady()
            .withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS)
            .probe(ProbeRequest.getDefaultInstance());
      } catch (StatusRuntimeException e) {
        throw new IllegalStateException("lab site " + name() + " did not answer CSI Probe on its "
            + channel.getKey() + " socket within " + timeout + ": " + e.getStatus());
      }
    }
  }

  private void release() {
    held.ifPresent(PortHold::close);
    held = Optional.empty();
  }

  @Override
  public synchronized void close() {
    try {
      endpoint.close();
      stop();
    } finally {
      release(); // the lab is gone: nothing comes back on this port
    }
  }
}
