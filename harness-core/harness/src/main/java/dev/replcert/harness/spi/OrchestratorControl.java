package dev.replcert.harness.spi;

/**
 * The bundled orchestrator's lifecycle, for the crash-consistency tests: its controllers on the hub
 * and on every managed cluster are killed together and come back as fresh instances, which must
 * carry on from what the clusters and S3 hold. Offered by environments that run the bundled
 * orchestrator themselves (the lab); obtained with {@code environment.client(OrchestratorControl.class,
 * Optional.empty())}, absent otherwise.
 */
public interface OrchestratorControl {

  /**
   * Kills all of the orchestrator's controllers, on the hub and the managed clusters, at once, as a
   * crash would: no clean-up, whatever a reconcile was doing is left as it was. The rest of the
   * environment (clusters, storage, OCM) keeps running. Does nothing if already stopped.
   */
  void stop();

  /**
   * Starts fresh instances of every controller stopped by {@link #stop()}. A managed cluster that is
   * down (a site disaster) gets its controllers when it comes back. Does nothing if running.
   */
  void start();

  /** Whether the orchestrator is started (the controllers of a downed site may still be away). */
  boolean running();
}
