package dev.replcert.refdriver.link;

import dev.replcert.refdriver.DriverException;
import dev.replcert.refdriver.link.proto.DeltaAck;
import dev.replcert.refdriver.link.proto.DeltaChunk;
import dev.replcert.refdriver.link.proto.DropReleasedRequest;
import dev.replcert.refdriver.link.proto.DropReleasedResponse;
import dev.replcert.refdriver.link.proto.EnsureReplicasRequest;
import dev.replcert.refdriver.link.proto.EnsureReplicasResponse;
import dev.replcert.refdriver.link.proto.GetStateRequest;
import dev.replcert.refdriver.link.proto.GetStateResponse;
import dev.replcert.refdriver.link.proto.HelloRequest;
import dev.replcert.refdriver.link.proto.HelloResponse;
import dev.replcert.refdriver.link.proto.ReplicationLinkGrpc;
import dev.replcert.refdriver.link.proto.RequestResyncRequest;
import dev.replcert.refdriver.link.proto.RequestResyncResponse;
import dev.replcert.refdriver.link.proto.ShareFenceRequest;
import dev.replcert.refdriver.link.proto.ShareFenceResponse;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.function.Supplier;

/** The gRPC side of the link server: unwraps requests and hands them to the {@link LinkHandler}. */
final class LinkService extends ReplicationLinkGrpc.ReplicationLinkImplBase {

  private final LinkHandler handler;
  private final int bulkPort;

  LinkService(LinkHandler handler, int bulkPort) {
    this.handler = handler;
    this.bulkPort = bulkPort;
  }

  @Override
  public void hello(HelloRequest request, StreamObserver<HelloResponse> responses) {
    unary(responses, () -> HelloResponse.newBuilder().setSite(handler.site()).build());
  }

  @Override
  public void getState(GetStateRequest request, StreamObserver<GetStateResponse> responses) {
    unary(responses, () -> handler.getState(request).toBuilder().setBulkPort(bulkPort).build());
  }

  @Override
  public void ensureReplicas(EnsureReplicasRequest request, StreamObserver<EnsureReplicasResponse> responses) {
    unary(responses, () -> handler.ensureReplicas(request));
  }

  @Override
  public void dropReleased(DropReleasedRequest request, StreamObserver<DropReleasedResponse> responses) {
    unary(responses, () -> handler.dropReleased(request));
  }

  @Override
  public void shareFence(ShareFenceRequest request, StreamObserver<ShareFenceResponse> responses) {
    unary(responses, () -> handler.shareFence(request));
  }

  /**
   * Messages requested ahead of the one being handled: the next chunks are already decoded and
   * queued when the receiver finishes one, instead of each costing a round trip through the
   * transport thread (which halves the throughput of a large sync).
   */
  static final int PREFETCH = 16;

  @Override
  public StreamObserver<DeltaChunk> shipDelta(StreamObserver<DeltaAck> acks) {
    ServerCallStreamObserver<DeltaAck> call = (ServerCallStreamObserver<DeltaAck>) acks;
    call.disableAutoRequest();
    StreamObserver<DeltaChunk> receiver = handler.receiveDelta(acks);
    call.request(PREFETCH);
    return new StreamObserver<>() {
      @Override
      public void onNext(DeltaChunk chunk) {
        try {
          receiver.onNext(chunk);
        } finally {
          if (!call.isCancelled()) {
            call.request(1);
          }
        }
      }

      @Override
      public void onError(Throwable t) {
        receiver.onError(t);
      }

      @Override
      public void onCompleted() {
        receiver.onCompleted();
      }
    };
  }

  @Override
  public void requestResync(RequestResyncRequest request, StreamObserver<RequestResyncResponse> responses) {
    unary(responses, () -> handler.requestResync(request));
  }

  private static <T> void unary(StreamObserver<T> responses, Supplier<T> call) {
    T response;
    try {
      response = call.get();
    } catch (DriverException e) {
      responses.onError(
          Status.FAILED_PRECONDITION.withDescription(e.code() + ": " + e.getMessage()).asRuntimeException());
      return;
    } catch (RuntimeException e) {
      responses.onError(Status.INTERNAL.withDescription(String.valueOf(e)).withCause(e).asRuntimeException());
      return;
    }
    responses.onNext(response);
    responses.onCompleted();
  }
}
