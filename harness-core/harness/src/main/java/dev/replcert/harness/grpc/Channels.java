package dev.replcert.harness.grpc;

import io.grpc.ClientInterceptor;
import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.unix.DomainSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * Channels to driver endpoints as cert.yaml names them: {@code unix:///path/csi.sock} (what CSI
 * drivers serve), {@code dns:///host:port} or {@code host:port}. Plaintext, as CSI is on a node.
 */
public final class Channels {

  private static final String UNIX = "unix://";

  private Channels() {}

  /** Opens a channel; close it with {@link #close(ManagedChannel)}. */
  public static ManagedChannel open(String target, ClientInterceptor... interceptors) {
    NettyChannelBuilder builder;
    if (target.startsWith(UNIX)) {
      if (!Epoll.isAvailable()) {
        throw new IllegalStateException(
            "unix sockets need netty's epoll transport, unavailable here: "
                + Epoll.unavailabilityCause());
      }
      EventLoopGroup group = new EpollEventLoopGroup(1);
      builder =
          NettyChannelBuilder.forAddress(new DomainSocketAddress(target.substring(UNIX.length())))
              .eventLoopGroup(group)
              .channelType(EpollDomainSocketChannel.class);
      ManagedChannel channel = builder.usePlaintext().intercept(interceptors).build();
      return new OwnedGroupChannel(channel, group);
    }
    builder = NettyChannelBuilder.forTarget(target);
    return builder.usePlaintext().intercept(interceptors).build();
  }

  /** Shuts the channel down and waits briefly, so no thread outlives the run. */
  public static void close(ManagedChannel channel) {
    channel.shutdownNow();
    try {
      channel.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
