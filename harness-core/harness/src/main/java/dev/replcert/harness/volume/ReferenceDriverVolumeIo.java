package dev.replcert.harness.volume;

import com.google.protobuf.ByteString;
import dev.replcert.api.refdriver.v1.DataPathGrpc;
import dev.replcert.api.refdriver.v1.DataPathGrpc.DataPathBlockingStub;
import dev.replcert.api.refdriver.v1.FlushRequest;
import dev.replcert.api.refdriver.v1.ReadRequest;
import dev.replcert.api.refdriver.v1.WriteRequest;
import dev.replcert.harness.grpc.Channels;
import dev.replcert.harness.volume.VolumeIoException.Kind;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The reference driver's data path: every read, write and flush goes to its DataPath service with
 * the handle NodePublishVolume wrote at the target path, so the driver can refuse writes to a
 * secondary or from a fenced node exactly as real storage does.
 *
 * <p>The calls are not in the run's gRPC call log: a writer makes thousands of them, and the
 * evidence of a data check is the verification, not the traffic.
 */
public final class ReferenceDriverVolumeIo implements VolumeIo {

  private final HandleDescriptor descriptor;
  private final long size;
  private final Duration rpcTimeout;
  private final ManagedChannel channel;
  private final DataPathBlockingStub stub;

  /**
   * Connects to the descriptor's socket.
   *
   * @param size the provisioned size: DataPath has no size call, and the driver refuses anything
   *     past its capacity with OUT_OF_RANGE anyway
   * @param rpcTimeout the deadline of each call
   */
  public ReferenceDriverVolumeIo(HandleDescriptor descriptor, long size, Duration rpcTimeout) {
    this.descriptor = Objects.requireNonNull(descriptor, "descriptor");
    this.size = size;
    this.rpcTimeout = Objects.requireNonNull(rpcTimeout, "rpcTimeout");
    this.channel = Channels.open("unix://" + descriptor.socket());
    this.stub = DataPathGrpc.newBlockingStub(channel);
  }

  /** Opens the volume whose descriptor is at {@code targetPath}; IO error if there is none. */
  public static ReferenceDriverVolumeIo open(
      Path targetPath, boolean block, long size, Duration rpcTimeout) {
    HandleDescriptor descriptor =
        HandleDescriptor.find(targetPath, block)
            .orElseThrow(
                () ->
                    new VolumeIoException(
                        Kind.IO, "no reference-driver handle descriptor at " + targetPath));
    return new ReferenceDriverVolumeIo(descriptor, size, rpcTimeout);
  }

  public HandleDescriptor descriptor() {
    return descriptor;
  }

  @Override
  public long size() {
    return size;
  }

  @Override
  public void write(long offset, byte[] data) {
    Ranges.check(descriptor.describe(), size, offset, data.length);
    WriteRequest request =
        WriteRequest.newBuilder()
            .setHandle(descriptor.handle())
            .setOffset(offset)
            .setData(ByteString.copyFrom(data))
            .build();
    call("write at " + offset, () -> deadlined().write(request));
  }

  @Override
  public byte[] read(long offset, int length) {
    Ranges.check(descriptor.describe(), size, offset, length);
    ReadRequest request =
        ReadRequest.newBuilder()
            .setHandle(descriptor.handle())
            .setOffset(offset)
            .setLength(length)
            .build();
    ByteString data = call("read at " + offset, () -> deadlined().read(request)).getData();
    if (data.size() != length) {
      throw new VolumeIoException(
          Kind.IO,
          "read at " + offset + " of " + descriptor.describe() + " returned " + data.size()
              + " bytes, asked for " + length);
    }
    return data.toByteArray();
  }

  @Override
  public void flush() {
    FlushRequest request = FlushRequest.newBuilder().setHandle(descriptor.handle()).build();
    call("flush", () -> deadlined().flush(request));
  }

  @Override
  public void close() {
    Channels.close(channel);
  }

  @Override
  public String toString() {
    return "ReferenceDriverVolumeIo[" + descriptor.describe() + ", " + size + " bytes]";
  }

  private DataPathBlockingStub deadlined() {
    return stub.withDeadlineAfter(rpcTimeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  private <T> T call(String what, Supplier<T> rpc) {
    try {
      return rpc.get();
    } catch (StatusRuntimeException e) {
      Status status = e.getStatus();
      throw new VolumeIoException(
          kindOf(status.getCode()),
          what + " of " + descriptor.describe() + " failed: " + status.getCode()
              + (status.getDescription() == null ? "" : " " + status.getDescription()),
          e);
    }
  }

  /** How the reference driver says why (SiteApi): refused writes and fencing have their codes. */
  static Kind kindOf(Status.Code code) {
    return switch (code) {
      case FAILED_PRECONDITION -> Kind.READ_ONLY;
      case PERMISSION_DENIED -> Kind.FENCED;
      // no answer within the deadline is, for a DR test, the site being unreachable
      case UNAVAILABLE, DEADLINE_EXCEEDED -> Kind.UNAVAILABLE;
      case OUT_OF_RANGE -> Kind.OUT_OF_RANGE;
      default -> Kind.IO;
    };
  }
}
