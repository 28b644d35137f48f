package dev.replcert.refdriver.grpc;

import com.google.protobuf.Message;
import com.google.protobuf.TextFormat;
import io.grpc.ForwardingServerCall.SimpleForwardingServerCall;
import io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs every call: method, status code and latency at DEBUG; the request itself only at TRACE and
 * only after {@link SecretRedaction} (a call log that leaks a storage secret is a vulnerability).
 */
public final class CallLogInterceptor implements ServerInterceptor {

  private static final Logger LOG = LoggerFactory.getLogger(CallLogInterceptor.class);

  private static final TextFormat.Printer SINGLE_LINE = TextFormat.printer().emittingSingleLine(true);

  private final String site;

  public CallLogInterceptor(String site) {
    this.site = site;
  }

  @Override
  public <Q, A> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, A> call, Metadata headers, ServerCallHandler<Q, A> next) {
    long started = System.nanoTime();
    String method = call.getMethodDescriptor().getFullMethodName();
    ServerCall<Q, A> logged =
        new SimpleForwardingServerCall<>(call) {
          @Override
          public void close(Status status, Metadata trailers) {
            if (LOG.isDebugEnabled()) {
              long micros = (System.nanoTime() - started) / 1_000;
              LOG.debug(
                  "[{}] {} {} {} ms{}",
                  site,
                  method,
                  status.getCode(),
                  String.format("%.1f", micros / 1000.0),
                  status.getDescription() == null ? "" : ": " + status.getDescription());
            }
            super.close(status, trailers);
          }
        };
    return new SimpleForwardingServerCallListener<>(next.startCall(logged, headers)) {
      @Override
      public void onMessage(Q request) {
        if (LOG.isTraceEnabled() && request instanceof Message message) {
          LOG.trace("[{}] {} request {}", site, method, SINGLE_LINE.printToString(SecretRedaction.redact(message)));
        }
        super.onMessage(request);
      }
    };
  }
}
