package dev.replcert.layer1.support;

import static org.assertj.core.api.Assertions.fail;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;

/** Negative-path assertions on gRPC status codes that say what was called and what came back. */
public final class GrpcAssertions {

  /** A call whose outcome is asserted. */
  @FunctionalInterface
  public interface Call {
    Object run();
  }

  private GrpcAssertions() {}

  /** Asserts the call fails with {@code expected}; returns the failure for further checks. */
  public static StatusRuntimeException assertCode(Status.Code expected, String what, Call call) {
    Object response;
    try {
      response = call.run();
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() != expected) {
        fail(
            "%s: expected %s, but the driver answered %s%s",
            what,
            expected,
            e.getStatus().getCode(),
            e.getStatus().getDescription() == null ? "" : " (" + e.getStatus().getDescription() + ")");
      }
      return e;
    }
    String answer = response == null ? "" : response.toString().replace('\n', ' ').trim();
    return fail(
        "%s: expected %s, but the call succeeded with %s",
        what, expected, answer.isEmpty() ? "an empty response" : "the response " + answer);
  }
}
