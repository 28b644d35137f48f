package dev.replcert.refdriver.cli;

/** What {@code serve} waits for before it stops the site; tests supply their own. */
@FunctionalInterface
public interface ShutdownSignal {

  /**
   * Starts listening; {@code serve} calls it before it starts the site, so a stop request that
   * arrives while the site starts (or right after the ready line) is not lost.
   */
  default void arm() {}

  /** Blocks until the process is asked to stop. */
  void await() throws InterruptedException;
}
