package dev.replcert.refdriver.grpc;

import dev.replcert.refdriver.DriverException;
import dev.replcert.refdriver.ErrorCode;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * One operation at a time per volume / group id, as the csi-addons error table asks: a second
 * concurrent operation on the same id fails at once with ABORTED (the caller retries) instead of
 * queueing behind, say, a demote's final sync. Shared by all services of one site so that, for
 * example, DeleteVolume during a DemoteVolume of the same id is refused too.
 */
public final class OperationLocks {

  private final Map<String, Object> held = new ConcurrentHashMap<>();

  public <T> T withLock(String id, Supplier<T> body) {
    Object token = new Object();
    if (held.putIfAbsent(id, token) != null) {
      throw new DriverException(ErrorCode.ABORTED, "an operation on " + id + " is already in progress");
    }
    try {
      return body.get();
    } finally {
      held.remove(id, token);
    }
  }

  public void withLock(String id, Runnable body) {
    withLock(
        id,
        () -> {
          body.run();
          return null;
        });
  }
}
