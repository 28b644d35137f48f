package dev.replcert.refdriver;

/**
 * Why a driver operation failed, in the gRPC code vocabulary the csi-addons and CSI error tables
 * use. The gRPC layer maps these one to one; the engine never depends on gRPC.
 */
public enum ErrorCode {
  INVALID_ARGUMENT,
  NOT_FOUND,
  ALREADY_EXISTS,
  FAILED_PRECONDITION,
  ABORTED,
  UNAVAILABLE,
  PERMISSION_DENIED,
  DEADLINE_EXCEEDED,
  UNAUTHENTICATED,
  UNIMPLEMENTED,
  OUT_OF_RANGE,
  INTERNAL
}
