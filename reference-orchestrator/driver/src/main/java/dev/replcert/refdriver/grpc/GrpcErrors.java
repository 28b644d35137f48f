package dev.replcert.refdriver.grpc;

import dev.replcert.refdriver.DriverException;
import dev.replcert.refdriver.ErrorCode;
import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.StatusRuntimeException;

/**
 * Translates engine failures to gRPC statuses: a {@link DriverException}'s code maps one to one and
 * keeps its message (the csi-addons controller copies it into VR status); anything else is a bug
 * and becomes INTERNAL with the exception text, so it is visible rather than a bare UNKNOWN.
 */
public final class GrpcErrors {

  private GrpcErrors() {}

  public static StatusRuntimeException toStatus(Throwable failure) {
    if (failure instanceof StatusRuntimeException status) {
      return status;
    }
    if (failure instanceof StatusException status) {
      return status.getStatus().asRuntimeException(status.getTrailers());
    }
    if (failure instanceof DriverException driver) {
      return status(driver.code()).withDescription(driver.getMessage()).asRuntimeException();
    }
    return Status.INTERNAL.withDescription(failure.toString()).withCause(failure).asRuntimeException();
  }

  /** The gRPC status of an error code; exhaustive, so a new code does not compile unmapped. */
  public static Status status(ErrorCode code) {
    return switch (code) {
      case INVALID_ARGUMENT -> Status.INVALID_ARGUMENT;
      case NOT_FOUND -> Status.NOT_FOUND;
      case ALREADY_EXISTS -> Status.ALREADY_EXISTS;
      case FAILED_PRECONDITION -> Status.FAILED_PRECONDITION;
      case ABORTED -> Status.ABORTED;
      case UNAVAILABLE -> Status.UNAVAILABLE;
      case PERMISSION_DENIED -> Status.PERMISSION_DENIED;
      case DEADLINE_EXCEEDED -> Status.DEADLINE_EXCEEDED;
      case UNAUTHENTICATED -> Status.UNAUTHENTICATED;
      case UNIMPLEMENTED -> Status.UNIMPLEMENTED;
      case OUT_OF_RANGE -> Status.OUT_OF_RANGE;
      case INTERNAL -> Status.INTERNAL;
    };
  }

  static DriverException invalidArgument(String message) {
    return new DriverException(ErrorCode.INVALID_ARGUMENT, message);
  }

  /** Whether an engine failure carries the given code. */
  static boolean hasCode(Throwable failure, ErrorCode code) {
    return failure instanceof DriverException driver && driver.code() == code;
  }
}
