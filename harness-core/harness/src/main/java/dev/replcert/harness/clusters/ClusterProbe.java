package dev.replcert.harness.clusters;

import dev.replcert.harness.config.ClusterRef;
import dev.replcert.harness.junit.EnvironmentUnavailableException;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Asks every cluster for its version ({@code GET /version}, which any authenticated user may
 * read), all at once, and fails naming each cluster that did not answer within one deadline. The
 * client's own retries would otherwise keep an unreachable API server busy for minutes.
 */
final class ClusterProbe {

  private ClusterProbe() {}

  static void requireAnswering(
      Map<String, KubernetesClient> clients, Map<String, ClusterRef> refs, Duration deadline) {
    if (clients.isEmpty()) {
      return;
    }
    ExecutorService pool =
        Executors.newFixedThreadPool(
            clients.size(),
            r -> {
              Thread t = new Thread(r, "replcert-cluster-probe");
              t.setDaemon(true);
              return t;
            });
    try {
      Map<String, Future<?>> asked = new LinkedHashMap<>();
      clients.forEach((name, client) -> asked.put(name, pool.submit(client::getKubernetesVersion)));
      long end = System.nanoTime() + deadline.toNanos();
      List<String> failures = new ArrayList<>();
      for (Map.Entry<String, Future<?>> answer : asked.entrySet()) {
        String why = wait(answer.getValue(), end, deadline);
        if (why != null) {
          failures.add(Kubeconfigs.describe(answer.getKey(), refs.get(answer.getKey())) + ": " + why);
        }
      }
      if (!failures.isEmpty()) {
        throw new EnvironmentUnavailableException(
            (failures.size() == 1 ? "" : failures.size() + " clusters are unreachable: ")
                + String.join("; ", failures));
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /** Null when the cluster answered, else why not. */
  private static String wait(Future<?> answer, long end, Duration deadline) {
    try {
      answer.get(Math.max(0, end - System.nanoTime()), TimeUnit.NANOSECONDS);
      return null;
    } catch (TimeoutException e) {
      answer.cancel(true);
      return "the API server did not answer GET /version within " + deadline + " (timeouts.rpc)";
    } catch (ExecutionException e) {
      return "GET /version failed: " + rootMessage(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted while waiting for the API server";
    }
  }

  private static String rootMessage(Throwable failure) {
    Throwable root = failure;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String top = failure.getMessage();
    return root == failure || root.getMessage() == null
        ? String.valueOf(top)
        : top + " (" + root.getClass().getSimpleName() + ": " + root.getMessage() + ")";
  }
}
