package dev.replcert.refdriver.grpc;

import io.grpc.Context;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.function.Supplier;

/** Runs a unary handler body and answers with its result or its failure mapped to a status. */
final class Rpc {

  private Rpc() {}

  static <T> void unary(StreamObserver<T> responses, Supplier<T> body) {
    T response;
    try {
      failIfCancelled();
      response = body.get();
    } catch (VirtualMachineError fatal) {
      throw fatal;
    } catch (Throwable failure) {
      responses.onError(GrpcErrors.toStatus(failure));
      return;
    }
    responses.onNext(response);
    responses.onCompleted();
  }

  /**
   * A call whose client already gave up (deadline or cancel) is not started: its effect would
   * arrive after the caller decided it failed, which a DR controller would then retry on top of.
   */
  static void failIfCancelled() {
    Context context = Context.current();
    if (!context.isCancelled()) {
      return;
    }
    if (context.getDeadline() != null && context.getDeadline().isExpired()) {
      throw Status.DEADLINE_EXCEEDED.withDescription("deadline exceeded before the call started").asRuntimeException();
    }
    throw Status.CANCELLED.withDescription("call cancelled before it started").asRuntimeException();
  }
}
