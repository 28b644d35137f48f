package dev.replcert.refdriver.link;

import dev.replcert.refdriver.link.proto.DropReleasedRequest;
import dev.replcert.refdriver.link.proto.DropReleasedResponse;
import dev.replcert.refdriver.link.proto.ShareFenceRequest;
import dev.replcert.refdriver.link.proto.ShareFenceResponse;
import dev.replcert.refdriver.link.proto.EnsureReplicasRequest;
import dev.replcert.refdriver.link.proto.EnsureReplicasResponse;
import dev.replcert.refdriver.link.proto.GetStateRequest;
import dev.replcert.refdriver.link.proto.GetStateResponse;
import dev.replcert.refdriver.link.proto.HelloRequest;
import dev.replcert.refdriver.link.proto.ReplicationLinkGrpc;
import dev.replcert.refdriver.link.proto.ReplicationLinkGrpc.ReplicationLinkBlockingStub;
import dev.replcert.refdriver.link.proto.RequestResyncRequest;
import dev.replcert.refdriver.link.proto.RequestResyncResponse;
import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The client end of the link to the peer site. Connects lazily (the peer may be down when this
 * site starts), keeps the last known reachability for status reports, and turns every transport
 * failure into {@link PeerUnreachableException}. After the peer comes back, the next call
 * reconnects at once instead of waiting out gRPC's reconnect backoff.
 */
public final class PeerLink implements AutoCloseable {

  /** How long a call waits for a fresh connection attempt to the peer. */
  private static final Duration CONNECT_WAIT = Duration.ofMillis(500);

  private final String site;
  private final InetSocketAddress peer;
  private volatile boolean reachable;
  private volatile String lastProblem;
  private EventLoopGroup group;
  private ExecutorService executor;
  private ManagedChannel channel;
  private ScheduledThreadPoolExecutor timers;
  private boolean closed;
  /** The peer's bulk delta port as its last GetState said (0: none known, deltas use ShipDelta). */
  private volatile int bulkPort;
  /** Bulk deltas in flight, cut by {@link #close}. */
  private final Set<DeltaStream> bulkStreams = ConcurrentHashMap.newKeySet();
  /** Bulk connections between deltas, closed with the link. */
  private final IdleBulkConnections idleBulk = new IdleBulkConnections();

  public PeerLink(String site, InetSocketAddress peer) {
    this.site = site;
    this.peer = peer;
    this.lastProblem = peer == null ? "no peer site configured" : "not contacted yet";
  }

  public boolean configured() {
    return peer != null;
  }

  /** Whether the last exchange with the peer worked. */
  public boolean reachable() {
    return reachable;
  }

  /** Why the peer is not reachable (null when it is). */
  public String problem() {
    return reachable ? null : lastProblem;
  }

  public String hello(Duration timeout) {
    return call(timeout, stub -> stub.hello(HelloRequest.newBuilder().setSite(site).build())).getSite();
  }

  public GetStateResponse getState(List<String> volumeIds, Duration timeout) {
    GetStateRequest request = GetStateRequest.newBuilder().setSite(site).addAllVolumeIds(volumeIds).build();
    GetStateResponse response = call(timeout, stub -> stub.getState(request));
    bulkPort = response.getBulkPort(); // a restarted peer listens elsewhere: every sync asks first
    return response;
  }

  public EnsureReplicasResponse ensureReplicas(EnsureReplicasRequest request, Duration timeout) {
    return call(timeout, stub -> stub.ensureReplicas(request));
  }

  public DropReleasedResponse dropReleased(List<String> volumeIds, Duration timeout) {
    DropReleasedRequest request = DropReleasedRequest.newBuilder().setSite(site).addAllVolumeIds(volumeIds).build();
    return call(timeout, stub -> stub.dropReleased(request));
  }

  public ShareFenceResponse shareFence(ShareFenceRequest request, Duration timeout) {
    return call(timeout, stub -> stub.shareFence(request));
  }

  public RequestResyncResponse requestResync(List<String> volumeIds, Duration timeout) {
    RequestResyncRequest request = RequestResyncRequest.newBuilder().setSite(site).addAllVolumeIds(volumeIds).build();
    return call(timeout, stub -> stub.requestResync(request));
  }

  /**
   * Opens a delta stream that must complete before {@code deadline}: over the peer's bulk port
   * when its last GetState advertised one, else over gRPC ShipDelta.
   */
  public DeltaStream openDelta(Instant deadline) {
    long millis = Math.max(1, Duration.between(Instant.now(), deadline).toMillis());
    ManagedChannel ready = channel();
    int port = bulkPort;
    if (port > 0) {
      try {
        return BulkDeltaStream.open(
            new InetSocketAddress(peer.getAddress(), port), idleBulk, Duration.ofMillis(millis), this, timers, bulkStreams);
      } catch (IOException e) {
        markUnreachable("bulk port " + port + ": " + e);
        throw new PeerUnreachableException("cannot open a bulk delta to peer site " + peer + ": " + e, e);
      }
    }
    return GrpcDeltaStream.open(
        ReplicationLinkGrpc.newStub(ready).withDeadlineAfter(millis, TimeUnit.MILLISECONDS), this);
  }

  private <T> T call(Duration timeout, Function<ReplicationLinkBlockingStub, T> rpc) {
    ReplicationLinkBlockingStub stub =
        ReplicationLinkGrpc.newBlockingStub(channel()).withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS);
    try {
      T response = rpc.apply(stub);
      markReachable();
      return response;
    } catch (StatusRuntimeException e) {
      throw translate(e);
    }
  }

  /**
   * Transport failures mean the peer is unreachable; anything else is an answer from a reachable
   * peer and is rethrown as it is.
   */
  RuntimeException translate(StatusRuntimeException e) {
    return translate(e, true);
  }

  /**
   * @param timeoutMeansDown whether running out of time says the peer is unreachable (a short
   *     call), or only that the call was long (a large delta)
   */
  RuntimeException translate(StatusRuntimeException e, boolean timeoutMeansDown) {
    Status.Code code = e.getStatus().getCode();
    if (code == Status.Code.UNAVAILABLE || code == Status.Code.DEADLINE_EXCEEDED || code == Status.Code.CANCELLED) {
      if (code != Status.Code.DEADLINE_EXCEEDED || timeoutMeansDown) {
        markUnreachable(code + ": " + e.getStatus().getDescription());
      }
      return new PeerUnreachableException(
          "peer site " + peer + " unreachable: " + e.getStatus(), e, code == Status.Code.DEADLINE_EXCEEDED);
    }
    markReachable();
    return e;
  }

  void markReachable() {
    reachable = true;
  }

  void markUnreachable(String problem) {
    reachable = false;
    lastProblem = problem;
  }

  private ManagedChannel channel() {
    ManagedChannel ready = createdChannel();
    awaitConnectAttempt(ready);
    return ready;
  }

  private synchronized ManagedChannel createdChannel() {
    if (peer == null) {
      throw new PeerUnreachableException("no peer site configured", null);
    }
    if (closed) {
      throw new PeerUnreachableException("the site is closing", null);
    }
    if (channel == null) {
      String name = "refdriver-" + site + "-peer";
      group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory(name + "-io"), EpollIoHandler.newFactory());
      executor = Executors.newCachedThreadPool(new DefaultThreadFactory(name + "-rpc"));
      timers = new ScheduledThreadPoolExecutor(1, new DefaultThreadFactory(name + "-deadline"));
      timers.setRemoveOnCancelPolicy(true);
      channel =
          NettyChannelBuilder.forAddress(peer)
              .usePlaintext()
              .eventLoopGroup(group)
              .channelType(EpollSocketChannel.class)
              .executor(executor)
              .flowControlWindow(LinkServer.WINDOW)
              .maxInboundMessageSize(LinkServer.MAX_MESSAGE)
              .build();
    }
    return channel;
  }

  /**
   * When the channel is not connected, makes one connection attempt now (skipping gRPC's
   * reconnect backoff, which would keep failing calls for up to two minutes after the peer came
   * back) and waits briefly for its outcome: the call that follows then sees the peer as it is,
   * not as it was at the last attempt. A refused connection fails within a millisecond.
   */
  private static void awaitConnectAttempt(ManagedChannel channel) {
    ConnectivityState state = channel.getState(true);
    if (state == ConnectivityState.READY) {
      return;
    }
    if (state == ConnectivityState.TRANSIENT_FAILURE) {
      channel.resetConnectBackoff();
    }
    boolean attempted = state != ConnectivityState.TRANSIENT_FAILURE;
    long deadline = System.nanoTime() + CONNECT_WAIT.toNanos();
    try {
      while (state != ConnectivityState.READY && state != ConnectivityState.SHUTDOWN) {
        long left = deadline - System.nanoTime();
        if (left <= 0 || (state == ConnectivityState.TRANSIENT_FAILURE && attempted)) {
          return;
        }
        attempted |= state == ConnectivityState.CONNECTING;
        CountDownLatch changed = new CountDownLatch(1);
        channel.notifyWhenStateChanged(state, changed::countDown);
        changed.await(left, TimeUnit.NANOSECONDS);
        state = channel.getState(false);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Cancels calls in flight (a delta being shipped fails and is retried after a restart). */
  @Override
  public void close() {
    ManagedChannel toClose;
    synchronized (this) {
      closed = true;
      toClose = channel;
    }
    reachable = false;
    lastProblem = "the site is closing";
    bulkStreams.forEach(stream -> stream.cancel("the site is closing"));
    idleBulk.close();
    if (toClose == null) {
      return;
    }
    toClose.shutdownNow();
    try {
      toClose.awaitTermination(5, TimeUnit.SECONDS);
      executor.shutdownNow();
      timers.shutdownNow();
      executor.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    EventLoops.shutdown(group);
  }
}
