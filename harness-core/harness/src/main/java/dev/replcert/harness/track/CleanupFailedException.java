package dev.replcert.harness.track;

import java.util.List;

/** Cleanup of one or more tracked resources failed; every failure is attached as suppressed. */
public final class CleanupFailedException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  CleanupFailedException(List<String> failed, List<Throwable> causes) {
    super(
        "cleanup failed for "
            + failed.size()
            + " resource(s), in cleanup order: "
            + String.join("; ", failed));
    causes.forEach(this::addSuppressed);
  }
}
