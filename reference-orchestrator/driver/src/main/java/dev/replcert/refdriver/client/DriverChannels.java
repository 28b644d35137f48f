package dev.replcert.refdriver.client;

import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.netty.NettyChannelBuilder;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** gRPC channels to the driver's unix domain sockets (epoll), for tests, the CLI and the lab. */
public final class DriverChannels {

  private DriverChannels() {}

  /**
   * A plaintext channel to {@code socket}. It owns its event loop: shut the channel down as usual
   * ({@code shutdown()} + {@code awaitTermination}) and the loop goes with it.
   */
  public static ManagedChannel forSocket(Path socket) {
    EventLoopGroup group = 
        new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("refdriver-client", true), EpollIoHandler.newFactory());
    ManagedChannel channel =
        NettyChannelBuilder.forAddress(new DomainSocketAddress(socket.toAbsolutePath().toString()))
            .eventLoopGroup(group)
            .channelType(EpollDomainSocketChannel.class)
            .usePlaintext()
            // the default authority would be the socket path, which is not a valid one
            .overrideAuthority("localhost")
            .build();
    return new OwningChannel(channel, group);
  }

  /** Forwards to the channel and releases the event loop once the channel has terminated. */
  private static final class OwningChannel extends ManagedChannel {
    private final ManagedChannel delegate;
    private final EventLoopGroup group;

    OwningChannel(ManagedChannel delegate, EventLoopGroup group) {
      this.delegate = delegate;
      this.group = group;
    }

    @Override
    public ManagedChannel shutdown() {
      delegate.shutdown();
      releaseWhenTerminated();
      return this;
    }

    @Override
    public ManagedChannel shutdownNow() {
      delegate.shutdownNow();
      releaseWhenTerminated();
      return this;
    }

    private void releaseWhenTerminated() {
      // the loop must outlive the channel's last in-flight call; a daemon thread waits for it
      Thread releaser =
          new Thread(
              () -> {
                try {
                  delegate.awaitTermination(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                } finally {
                  group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
                }
              },
              "refdriver-client-release");
      releaser.setDaemon(true);
      releaser.start();
    }

    @Override
    public boolean isShutdown() {
      return delegate.isShutdown();
    }

    @Override
    public boolean isTerminated() {
      return delegate.isTerminated() && group.isTerminated();
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
      long deadline = System.nanoTime() + unit.toNanos(timeout);
      if (!delegate.awaitTermination(timeout, unit)) {
        return false;
      }
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
      // at least a second for the loop itself, which needs a few milliseconds once idle
      long remaining = Math.max(TimeUnit.SECONDS.toNanos(1), deadline - System.nanoTime());
      return group.awaitTermination(remaining, TimeUnit.NANOSECONDS);
    }

    @Override
    public <Q, A> ClientCall<Q, A> newCall(MethodDescriptor<Q, A> method, CallOptions options) {
      return delegate.newCall(method, options);
    }

    @Override
    public String authority() {
      return delegate.authority();
    }

    @Override
    public ConnectivityState getState(boolean requestConnection) {
      return delegate.getState(requestConnection);
    }

    @Override
    public void notifyWhenStateChanged(ConnectivityState source, Runnable callback) {
      delegate.notifyWhenStateChanged(source, callback);
    }

    @Override
    public void resetConnectBackoff() {
      delegate.resetConnectBackoff();
    }

    @Override
    public void enterIdle() {
      delegate.enterIdle();
    }
  }
}
