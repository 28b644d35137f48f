package dev.replcert.layer1.support;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.function.Supplier;

/**
 * Success-path calls for the helpers that are not {@link SiteDriver}'s: a failed call becomes an
 * assertion error naming the site, the RPC and what the driver answered. UNIMPLEMENTED also says
 * why that is a failure here: the profile claims the capability, so its RPCs must work.
 */
public final class RpcCalls {

  private RpcCalls() {}

  public static <T> T must(String site, String what, Supplier<T> call) {
    try {
      return call.get();
    } catch (StatusRuntimeException e) {
      Status status = e.getStatus();
      String hint =
          status.getCode() == Status.Code.UNIMPLEMENTED
              ? " (the capability profile claims this feature: an advertised capability must work)"
              : "";
      throw new AssertionError(
          site + ": " + what + " failed with " + status.getCode()
              + (status.getDescription() == null ? "" : ": " + status.getDescription())
              + hint,
          e);
    }
  }

  /** Runs a cleanup call; NOT_FOUND means there is nothing left to clean. */
  public static void ignoringNotFound(Runnable call) {
    try {
      call.run();
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() != Status.Code.NOT_FOUND) {
        throw e;
      }
    }
  }
}
