package dev.replcert.harness.endpoint;

import dev.replcert.api.csi.v1.IdentityGrpc;
import dev.replcert.api.csi.v1.ProbeRequest;
import dev.replcert.harness.config.SiteEndpoint;
import dev.replcert.harness.grpc.CallLog;
import dev.replcert.harness.grpc.CallLogInterceptor;
import dev.replcert.harness.grpc.Channels;
import dev.replcert.harness.record.Redactor;
import dev.replcert.harness.spi.DriverEndpoint;
import io.grpc.Channel;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A site's driver reached through gRPC channels to its sockets; one channel per distinct target
 * (drivers commonly serve CSI, csi-addons and Node on one socket). Every call is logged.
 */
public final class ChannelDriverEndpoint implements DriverEndpoint, AutoCloseable {

  private final String site;
  private final Map<String, String> secrets;
  private final Map<String, ManagedChannel> byTarget = new LinkedHashMap<>();
  private final String csiTarget;
  private final Channel csi;
  private final Channel addons;
  private final Channel node;

  public ChannelDriverEndpoint(
      String site, SiteEndpoint endpoint, Map<String, String> secrets, CallLog log, Redactor redactor) {
    this.site = site;
    this.secrets = Map.copyOf(secrets);
    // the log names the site; the method name already says which service was called
    this.csiTarget = endpoint.csi();
    this.csi = channel(endpoint.csi(), log, redactor);
    this.addons = channel(endpoint.addons(), log, redactor);
    this.node = channel(endpoint.node(), log, redactor);
  }

  private Channel channel(String target, CallLog log, Redactor redactor) {
    return byTarget.computeIfAbsent(
        target, t -> Channels.open(t, new CallLogInterceptor(log, site, redactor)));
  }

  @Override
  public String site() {
    return site;
  }

  @Override
  public Channel csi() {
    return csi;
  }

  @Override
  public Channel addons() {
    return addons;
  }

  @Override
  public Channel node() {
    return node;
  }

  @Override
  public Map<String, String> secrets() {
    return secrets;
  }

  /**
   * Reconnects at once instead of after gRPC's back-off: call it when the site is known to be back
   * (a disaster injector brought it up), so the next call does not wait for the next retry.
   */
  public void resetConnectBackoff() {
    byTarget.values().forEach(ManagedChannel::resetConnectBackoff);
  }

  /** Fails, within {@code rpc}, naming the site and target, unless the driver answers CSI Probe. */
  public void probe(Duration rpc) {
    try {
      IdentityGrpc.newBlockingStub(csi)
          .withDeadlineAfter(rpc.toMillis(), TimeUnit.MILLISECONDS)
          .withWaitForReady()
          .probe(ProbeRequest.getDefaultInstance());
    } catch (StatusRuntimeException e) {
      throw new IllegalStateException(
          "driver endpoint of site "
              + site
              + " ("
              + csiTarget
              + ") did not answer CSI Probe within "
              + rpc
              + ": "
              + e.getStatus().getCode()
              + (e.getStatus().getDescription() == null ? "" : " " + e.getStatus().getDescription()));
    }
  }

  @Override
  public void close() {
    List<ManagedChannel> channels = new ArrayList<>(byTarget.values());
    channels.forEach(Channels::close);
  }

  @Override
  public String toString() {
    return "driver endpoint " + site + " " + byTarget.keySet();
  }
}
