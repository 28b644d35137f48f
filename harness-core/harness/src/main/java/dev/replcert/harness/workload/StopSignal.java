package dev.replcert.harness.workload;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Tells a running writer to stop: polled by {@link WorkloadCommand#run} between records. In a pod
 * it is the downward API file that mirrors the {@code replcert.dev/stop} annotation; the lab's
 * kubelet reads the annotation itself.
 */
@FunctionalInterface
public interface StopSignal {

  /** Whether the writer should stop now. A failure to tell is not a request to stop. */
  boolean requested();

  static StopSignal never() {
    return () -> false;
  }

  /**
   * Stop once {@code file} says {@code true}: the downward API projects the annotation's value
   * there, and an empty or missing file means no annotation yet.
   */
  static StopSignal file(Path file) {
    return () -> {
      try {
        return "true".equals(Files.readString(file, StandardCharsets.UTF_8).trim());
      } catch (NoSuchFileException e) {
        return false;
      } catch (IOException e) {
        return false;
      }
    };
  }

  /** Stop when either says so. */
  default StopSignal or(StopSignal other) {
    return () -> requested() || other.requested();
  }
}
