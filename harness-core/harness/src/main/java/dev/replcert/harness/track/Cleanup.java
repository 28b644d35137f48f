package dev.replcert.harness.track;

/** Undoes one thing a test created. May throw; the tracker collects the error and goes on. */
@FunctionalInterface
public interface Cleanup {
  void run() throws Exception;
}
