package dev.replcert.refdriver.link;

import com.google.protobuf.CodedInputStream;
import dev.replcert.refdriver.link.proto.DeltaAck;
import dev.replcert.refdriver.link.proto.DeltaChunk;
import dev.replcert.refdriver.link.proto.ReplicationLinkGrpc;
import io.grpc.MethodDescriptor;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Parses the chunks of an incoming delta with one copy and no garbage: the message's bytes are
 * read out of the transport into a buffer of the parsing thread, reused for its next message, and
 * the blocks' data refer to that buffer (the default marshaller copies every block again into new
 * arrays: a full sync moves the whole volume through here).
 *
 * <p><b>The data of a chunk is valid only until the receiver's {@code onNext} for it returns</b>
 * (gRPC parses a message and hands it to the listener on the same thread, one at a time): a
 * receiver copies what it keeps ({@link dev.replcert.refdriver.replication.Journal} does).
 */
final class AliasingChunks implements MethodDescriptor.Marshaller<DeltaChunk> {

  private static final MethodDescriptor.Marshaller<DeltaChunk> DEFAULT =
      ReplicationLinkGrpc.getShipDeltaMethod().getRequestMarshaller();

  /** {@code service} with ShipDelta's requests parsed by this marshaller. */
  @SuppressWarnings("unchecked")
  static ServerServiceDefinition apply(ServerServiceDefinition service) {
    ServerServiceDefinition.Builder builder = ServerServiceDefinition.builder(service.getServiceDescriptor().getName());
    for (ServerMethodDefinition<?, ?> method : service.getMethods()) {
      if (method.getMethodDescriptor().getFullMethodName().equals(ReplicationLinkGrpc.getShipDeltaMethod().getFullMethodName())) {
        ServerMethodDefinition<DeltaChunk, DeltaAck> ship = (ServerMethodDefinition<DeltaChunk, DeltaAck>) method;
        MethodDescriptor<DeltaChunk, DeltaAck> descriptor =
            ship.getMethodDescriptor()
                .toBuilder(new AliasingChunks(), ship.getMethodDescriptor().getResponseMarshaller())
                .build();
        builder.addMethod(ServerMethodDefinition.create(descriptor, ship.getServerCallHandler()));
      } else {
        builder.addMethod(method);
      }
    }
    return builder.build();
  }

  @Override
  public InputStream stream(DeltaChunk value) {
    return DEFAULT.stream(value);
  }

  /** Buffers up to this size are kept for the thread's next message. */
  private static final int KEEP = 8 << 20;

  private static final ThreadLocal<byte[]> BUFFER = new ThreadLocal<>();

  @Override
  public DeltaChunk parse(InputStream stream) {
    try {
      int size = Math.max(0, stream.available()); // the transport knows the message's length
      byte[] bytes = BUFFER.get();
      if (bytes == null || bytes.length < size) {
        bytes = new byte[size];
        if (size <= KEEP) {
          BUFFER.set(bytes);
        }
      }
      int n = stream.readNBytes(bytes, 0, size);
      byte[] rest = stream.readAllBytes(); // empty unless the length was not known after all
      if (rest.length > 0) {
        byte[] whole = Arrays.copyOf(bytes, n + rest.length); // not kept: only this message uses it
        System.arraycopy(rest, 0, whole, n, rest.length);
        bytes = whole;
        n = whole.length;
      }
      CodedInputStream in = CodedInputStream.newInstance(bytes, 0, n);
      in.enableAliasing(true);
      return DeltaChunk.parseFrom(in);
    } catch (IOException e) {
      throw Status.INTERNAL.withDescription("invalid delta chunk: " + e.getMessage()).withCause(e).asRuntimeException();
    }
  }
}
