package dev.replcert.lab.substrate.ocm;

import dev.replcert.lab.substrate.RetryPolicy;
import dev.replcert.lab.substrate.WorkQueue;
import java.time.Duration;
import java.util.Collection;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The OCM agents' work queues: a key is reconciled on its informer's events and again every
 * period, for every key {@code keys} lists; a failed reconcile waits for the next period (OCM's
 * agents resync rather than back off). Nothing is remembered between reconciles: a reconcile reads
 * what it needs, which makes a restart harmless.
 */
final class ResyncQueues {

  private ResyncQueues() {}

  static WorkQueue of(
      String name,
      Duration period,
      Supplier<? extends Collection<String>> keys,
      Consumer<String> reconcile) {
    return WorkQueue.builder(name, WorkQueue.Reconciler.withoutRequeue(reconcile))
        .retry(RetryPolicy.nextResync())
        .resync(period, keys)
        .build();
  }
}
