package dev.replcert.harness.grpc;

import com.google.protobuf.Message;
import com.google.protobuf.TextFormat;
import dev.replcert.harness.record.Redactor;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCall.SimpleForwardingClientCall;
import io.grpc.ForwardingClientCallListener.SimpleForwardingClientCallListener;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import java.time.Duration;
import java.time.Instant;
import java.util.function.UnaryOperator;

/**
 * Records every call through a channel in the run's {@link CallLog}: method, request (secret
 * fields blanked, then the run's known secret values masked), final status and latency.
 */
public final class CallLogInterceptor implements ClientInterceptor {

  private final CallLog log;
  private final String endpoint;
  private final UnaryOperator<String> redactor;

  public CallLogInterceptor(CallLog log, String endpoint, UnaryOperator<String> redactor) {
    this.log = log;
    this.endpoint = endpoint;
    this.redactor = redactor == null ? Redactor.none() : redactor;
  }

  @Override
  public <Q, R> ClientCall<Q, R> interceptCall(
      MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
    return new SimpleForwardingClientCall<>(next.newCall(method, options)) {
      private final long sequence = log.nextSequence();
      private final Instant started = Instant.now();
      private final long startNanos = System.nanoTime();
      private volatile String request = "";

      @Override
      public void sendMessage(Q message) {
        request = describe(message);
        super.sendMessage(message);
      }

      @Override
      public void start(Listener<R> listener, Metadata headers) {
        super.start(
            new SimpleForwardingClientCallListener<>(listener) {
              @Override
              public void onClose(Status status, Metadata trailers) {
                log.add(
                    new CallRecord(
                        sequence,
                        endpoint,
                        method.getFullMethodName(),
                        request,
                        status.getCode().name(),
                        redactor.apply(status.getDescription()),
                        started,
                        Duration.ofNanos(System.nanoTime() - startNanos)));
                super.onClose(status, trailers);
              }
            },
            headers);
      }
    };
  }

  private String describe(Object message) {
    String text =
        message instanceof Message proto
            ? TextFormat.printer().shortDebugString(SecretFields.redact(proto))
            : String.valueOf(message);
    return redactor.apply(text);
  }
}
