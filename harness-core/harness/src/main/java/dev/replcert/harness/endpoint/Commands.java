package dev.replcert.harness.endpoint;

import dev.replcert.harness.record.Redactor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs a vendor hook command from cert.yaml (no shell), with extra environment variables and a
 * deadline; a non-zero exit, a timeout or a command that cannot start is an error naming the
 * hook, the exit code and the end of its output (secrets masked).
 */
final class Commands {

  private static final int OUTPUT_TAIL = 2000;

  private Commands() {}

  static void run(
      String hook, List<String> command, Map<String, String> env, Duration timeout, Redactor redactor) {
    Path outputFile;
    Process process;
    try {
      // a file, not a pipe: a chatty command must not block on a full pipe while we wait
      outputFile = Files.createTempFile("replcert-hook", ".log");
      ProcessBuilder builder =
          new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(outputFile.toFile());
      builder.environment().putAll(env);
      process = builder.start();
    } catch (IOException e) {
      throw new HookFailedException(hook + ": cannot start " + command.get(0) + ": " + e.getMessage());
    }
    try {
      process.getOutputStream().close();
      boolean done = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
      if (!done) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
      String output = tail(new String(Files.readAllBytes(outputFile), StandardCharsets.UTF_8));
      Files.deleteIfExists(outputFile);
      if (!done) {
        throw new HookFailedException(
            hook + ": " + command.get(0) + " did not finish within " + timeout + redactor.apply(output));
      }
      if (process.exitValue() != 0) {
        throw new HookFailedException(
            hook + ": " + command.get(0) + " exited with " + process.exitValue() + redactor.apply(output));
      }
    } catch (IOException e) {
      throw new HookFailedException(hook + ": reading the output of " + command.get(0) + " failed: " + e);
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new HookFailedException(hook + ": interrupted");
    }
  }

  private static String tail(String output) {
    String trimmed = output.strip();
    if (trimmed.isEmpty()) {
      return "";
    }
    return "; output: "
        + (trimmed.length() > OUTPUT_TAIL ? "…" + trimmed.substring(trimmed.length() - OUTPUT_TAIL) : trimmed);
  }

  /** A vendor hook failed. */
  static final class HookFailedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    HookFailedException(String message) {
      super(message);
    }
  }
}
