package dev.replcert.refdriver.link;

import dev.replcert.refdriver.link.proto.DeltaAck;
import dev.replcert.refdriver.link.proto.DeltaChunk;
import dev.replcert.refdriver.link.proto.ReplicationLinkGrpc.ReplicationLinkStub;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One delta on its way to the peer over gRPC ShipDelta (the fallback when the peer has no bulk
 * port): a client stream that respects gRPC flow control, so a large sync streams at link speed
 * without piling up in memory, and a few batches stay in flight to keep the link busy.
 */
final class GrpcDeltaStream implements DeltaStream {

  /** Bytes queued before {@link #send} waits: a few dozen block batches in flight. */
  private static final int IN_FLIGHT = 16 << 20;

  private final PeerLink link;
  private final CompletableFuture<DeltaAck> ack = new CompletableFuture<>();
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition ready = lock.newCondition();
  private ClientCallStreamObserver<DeltaChunk> requests;

  private GrpcDeltaStream(PeerLink link) {
    this.link = link;
  }

  static DeltaStream open(ReplicationLinkStub stub, PeerLink link) {
    GrpcDeltaStream stream = new GrpcDeltaStream(link);
    stub.withOnReadyThreshold(IN_FLIGHT).shipDelta(stream.new Responses());
    return stream;
  }

  @Override
  public boolean send(DeltaChunk chunk) throws InterruptedException {
    lock.lock();
    try {
      while (!requests.isReady() && !ack.isDone()) {
        ready.await(100, TimeUnit.MILLISECONDS);
      }
    } finally {
      lock.unlock();
    }
    if (ack.isDone()) {
      return false;
    }
    requests.onNext(chunk);
    return true;
  }

  @Override
  public DeltaAck finish() throws InterruptedException {
    if (!ack.isDone()) {
      requests.onCompleted();
    }
    return result();
  }

  private DeltaAck result() throws InterruptedException {
    try {
      return ack.get(1, TimeUnit.DAYS); // the call's own deadline ends it much sooner
    } catch (ExecutionException e) {
      if (e.getCause() instanceof StatusRuntimeException status) {
        throw link.translate(status, false);
      }
      throw new IllegalStateException(e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void cancel(String why) {
    if (requests != null && !ack.isDone()) {
      requests.cancel(why, null);
    }
  }

  private void signal() {
    lock.lock();
    try {
      ready.signalAll();
    } finally {
      lock.unlock();
    }
  }

  private final class Responses implements ClientResponseObserver<DeltaChunk, DeltaAck> {
    @Override
    public void beforeStart(ClientCallStreamObserver<DeltaChunk> stream) {
      requests = stream;
      stream.setOnReadyHandler(GrpcDeltaStream.this::signal);
    }

    @Override
    public void onNext(DeltaAck value) {
      ack.complete(value);
      signal();
    }

    @Override
    public void onError(Throwable t) {
      ack.completeExceptionally(t);
      signal();
    }

    @Override
    public void onCompleted() {
      ack.completeExceptionally(new IllegalStateException("the peer closed the delta without an answer"));
      signal();
    }
  }
}
