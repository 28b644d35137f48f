package dev.replcert.refdriver.grpc;

import com.google.protobuf.ByteString;
import dev.replcert.api.refdriver.v1.DataPathGrpc;
import dev.replcert.api.refdriver.v1.FlushRequest;
import dev.replcert.api.refdriver.v1.FlushResponse;
import dev.replcert.api.refdriver.v1.ReadRequest;
import dev.replcert.api.refdriver.v1.ReadResponse;
import dev.replcert.api.refdriver.v1.WriteRequest;
import dev.replcert.api.refdriver.v1.WriteResponse;
import dev.replcert.refdriver.DriverException;
import dev.replcert.refdriver.ErrorCode;
import io.grpc.stub.StreamObserver;

/**
 * Vendor extension: byte I/O through a handle that NodePublishVolume handed out. The engine
 * decides every access (secondary, demoted, fenced), as real storage would.
 */
public final class DataPathService extends DataPathGrpc.DataPathImplBase {

  private final Facade facade;

  public DataPathService(Facade facade) {
    this.facade = facade;
  }

  @Override
  public void read(ReadRequest request, StreamObserver<ReadResponse> responses) {
    Rpc.unary(
        responses,
        () -> {
          String handle = Require.nonEmpty(request.getHandle(), "handle");
          checkRange(request.getOffset(), request.getLength());
          byte[] data = facade.site().read(handle, request.getOffset(), request.getLength());
          return ReadResponse.newBuilder().setData(ByteString.copyFrom(data)).build();
        });
  }

  @Override
  public void write(WriteRequest request, StreamObserver<WriteResponse> responses) {
    Rpc.unary(
        responses,
        () -> {
          String handle = Require.nonEmpty(request.getHandle(), "handle");
          checkRange(request.getOffset(), 0);
          facade.site().write(handle, request.getOffset(), request.getData().toByteArray());
          return WriteResponse.getDefaultInstance();
        });
  }

  @Override
  public void flush(FlushRequest request, StreamObserver<FlushResponse> responses) {
    Rpc.unary(
        responses,
        () -> {
          facade.site().flush(Require.nonEmpty(request.getHandle(), "handle"));
          return FlushResponse.getDefaultInstance();
        });
  }

  private static void checkRange(long offset, int length) {
    if (offset < 0) {
      throw new DriverException(ErrorCode.OUT_OF_RANGE, "offset must not be negative");
    }
    if (length < 0) {
      throw GrpcErrors.invalidArgument("length must not be negative");
    }
  }
}
