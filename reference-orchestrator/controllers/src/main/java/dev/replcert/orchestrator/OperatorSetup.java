package dev.replcert.orchestrator;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.processing.retry.GenericRetry;
import java.time.Duration;

/** What the hub and the managed-cluster controllers share in starting a JOSDK operator. */
final class OperatorSetup {

  private OperatorSetup() {}

  /** An operator on {@code client} that leaves the client open when it stops. */
  static Operator operator(KubernetesClient client) {
    return new Operator(
        o ->
            o.withKubernetesClient(client)
                .withCloseClientOnStop(false)
                // the lab's mock API servers have no server-side apply
                .withUseSSAToPatchPrimaryResource(false)
                .withStopOnInformerErrorDuringStartup(true));
  }

  /**
   * Stops the operator, and the thread pools JOSDK 5.3's {@code Operator.stop()} leaves running: its
   * caching executor (idle threads linger a minute) and its scheduler (a pending delayed task, such
   * as a resync, keeps a thread until it is due). Their threads are not daemons; the lab restarts
   * these controllers with each site and checks that nothing outlives it.
   */
  static void stop(Operator operator) {
    try {
      operator.stop();
    } finally {
      var executors = operator.getConfigurationService().getExecutorServiceManager();
      executors.cachingExecutorService().shutdownNow();
      executors.scheduledExecutorService().shutdownNow();
    }
  }

  /**
   * A failed pass (a conflict, an API server away) is retried for ever, backing off to the resync
   * period: giving up would leave the resource unreconciled until something else changes.
   */
  static GenericRetry retryForever(Duration initial, Duration max) {
    return new GenericRetry()
        .setInitialInterval(initial.toMillis())
        .setIntervalMultiplier(2)
        .setMaxInterval(max.toMillis())
        .withoutMaxAttempts();
  }
}
