package dev.replcert.harness.grpc;

import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.netty.channel.EventLoopGroup;
import java.util.concurrent.TimeUnit;

/** A channel that also shuts down the event loop group it alone uses. */
final class OwnedGroupChannel extends ManagedChannel {

  private final ManagedChannel delegate;
  private final EventLoopGroup group;

  OwnedGroupChannel(ManagedChannel delegate, EventLoopGroup group) {
    this.delegate = delegate;
    this.group = group;
  }

  @Override
  public ManagedChannel shutdown() {
    delegate.shutdown();
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    return this;
  }

  @Override
  public ManagedChannel shutdownNow() {
    delegate.shutdownNow();
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    return this;
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
    boolean channelDone = delegate.awaitTermination(timeout, unit);
    long left = Math.max(0, deadline - System.nanoTime());
    return channelDone && group.awaitTermination(left, TimeUnit.NANOSECONDS);
  }

  @Override
  public <Q, R> ClientCall<Q, R> newCall(MethodDescriptor<Q, R> method, CallOptions options) {
    return delegate.newCall(method, options);
  }

  @Override
  public String authority() {
    return delegate.authority();
  }
}
