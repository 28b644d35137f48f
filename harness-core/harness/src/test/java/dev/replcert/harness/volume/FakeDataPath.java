package dev.replcert.harness.volume;

import com.google.protobuf.ByteString;
import dev.replcert.api.refdriver.v1.DataPathGrpc;
import dev.replcert.api.refdriver.v1.FlushRequest;
import dev.replcert.api.refdriver.v1.FlushResponse;
import dev.replcert.api.refdriver.v1.ReadRequest;
import dev.replcert.api.refdriver.v1.ReadResponse;
import dev.replcert.api.refdriver.v1.WriteRequest;
import dev.replcert.api.refdriver.v1.WriteResponse;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * The reference driver's DataPath in miniature, on a real unix socket: one volume in memory behind
 * one handle, and switches that make it refuse calls with a status or never answer.
 */
final class FakeDataPath extends DataPathGrpc.DataPathImplBase {

  static final String HANDLE = "h-0001";
  static final String VOLUME_ID = "vol-east-1";

  final Path socket;
  private final byte[] bytes;
  private final EpollEventLoopGroup group = new EpollEventLoopGroup(1);
  private final Server server;
  private volatile Status refuseAll;
  private volatile int shortenReadsBy;
  private volatile boolean neverAnswerFlush;
  private volatile int flushes;

  FakeDataPath(Path dir, int size) throws IOException {
    this.socket = dir.resolve("dp.sock");
    this.bytes = new byte[size];
    this.server =
        NettyServerBuilder.forAddress(new DomainSocketAddress(socket.toString()))
            .channelType(EpollServerDomainSocketChannel.class)
            .bossEventLoopGroup(group)
            .workerEventLoopGroup(group)
            .addService(this)
            .build()
            .start();
  }

  /** The descriptor NodePublishVolume would write for this volume. */
  String descriptorJson() {
    return "{\"handle\": \"" + HANDLE + "\", \"socket\": \"" + socket + "\", \"volumeId\": \""
        + VOLUME_ID + "\", \"addedLater\": true}";
  }

  void refuseAll(Status status) {
    this.refuseAll = status;
  }

  void shortenReadsBy(int bytes) {
    this.shortenReadsBy = bytes;
  }

  void neverAnswerFlush() {
    this.neverAnswerFlush = true;
  }

  int flushes() {
    return flushes;
  }

  synchronized byte[] bytes(int offset, int length) {
    return Arrays.copyOfRange(bytes, offset, offset + length);
  }

  @Override
  public void read(ReadRequest request, StreamObserver<ReadResponse> response) {
    if (refused(request.getHandle(), response)) {
      return;
    }
    int from = (int) request.getOffset();
    byte[] data;
    synchronized (this) {
      data = Arrays.copyOfRange(bytes, from, from + request.getLength() - shortenReadsBy);
    }
    response.onNext(ReadResponse.newBuilder().setData(ByteString.copyFrom(data)).build());
    response.onCompleted();
  }

  @Override
  public void write(WriteRequest request, StreamObserver<WriteResponse> response) {
    if (refused(request.getHandle(), response)) {
      return;
    }
    synchronized (this) {
      request.getData().copyTo(bytes, (int) request.getOffset());
    }
    response.onNext(WriteResponse.getDefaultInstance());
    response.onCompleted();
  }

  @Override
  public void flush(FlushRequest request, StreamObserver<FlushResponse> response) {
    if (neverAnswerFlush || refused(request.getHandle(), response)) {
      return;
    }
    flushes++;
    response.onNext(FlushResponse.getDefaultInstance());
    response.onCompleted();
  }

  private boolean refused(String handle, StreamObserver<?> response) {
    if (!HANDLE.equals(handle)) {
      response.onError(Status.NOT_FOUND.withDescription("no handle " + handle).asException());
      return true;
    }
    Status refusal = refuseAll;
    if (refusal != null) {
      response.onError(refusal.withDescription("refused by the fake").asException());
      return true;
    }
    return false;
  }

  /** Stops serving; calls still open are cancelled. Repeating it is fine. */
  void stop() throws InterruptedException, IOException {
    server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(5, TimeUnit.SECONDS);
    Files.deleteIfExists(socket);
  }
}
