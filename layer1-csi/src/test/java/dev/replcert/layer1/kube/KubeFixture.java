package dev.replcert.layer1.kube;

import dev.replcert.harness.config.CertificationConfig;
import dev.replcert.harness.junit.PlanItem;
import dev.replcert.harness.record.Evidence;
import dev.replcert.harness.spi.Environment;
import dev.replcert.harness.track.ResourceTracker;
import dev.replcert.harness.kube.Names;
import dev.replcert.layer1.support.Targets;
import dev.replcert.harness.kube.Waits;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.TestInfo;

/**
 * A Kubernetes-level test's two managed clusters: {@code east} (the first primary) and {@code
 * west}, each with the test's own namespace of the same name (a failover recreates claims under
 * the same namespace and name, as DR orchestrators do), plus the driver calls since the test began.
 * Everything created is deleted at the test's cleanup, newest first.
 */
public final class KubeFixture {

  private final KubeSite east;
  private final KubeSite west;
  private final DriverCalls calls;
  private final Waits waits;
  private final Duration syncInterval;
  private final Evidence evidence;

  public KubeFixture(
      String test, Environment environment, CertificationConfig config, ResourceTracker tracker, Evidence evidence) {
    this.waits = new Waits(config.timeoutProfile());
    this.calls = DriverCalls.from(environment);
    this.syncInterval = Targets.syncInterval(environment, config);
    this.evidence = evidence;
    String namespace = Names.unique(test);
    this.east = new KubeSite("east", cluster(environment, "east"), namespace, test, config, tracker, waits);
    this.west = new KubeSite("west", cluster(environment, "west"), namespace, test, config, tracker, waits);
  }

  /** The test's plan id (its {@code @PlanItem}), which names its namespace. */
  public static String plan(TestInfo test) {
    return test.getTestMethod().map(m -> m.getAnnotation(PlanItem.class).value()).orElse("kube");
  }

  public KubeSite east() {
    return east;
  }

  public KubeSite west() {
    return west;
  }

  public DriverCalls calls() {
    return calls;
  }

  public Waits waits() {
    return waits;
  }

  public Evidence evidence() {
    return evidence;
  }

  /** How often the driver ships a sync (the lab says; else the configured schedulingInterval). */
  public Duration syncInterval() {
    return syncInterval;
  }

  private static KubernetesClient cluster(Environment environment, String site) {
    Optional<KubernetesClient> client = environment.client(KubernetesClient.class, Optional.of(site));
    Assumptions.assumeTrue(client.isPresent(),
        "environment '" + environment.name() + "' has no Kubernetes cluster " + site
            + ": Kubernetes-level suites need clusters (mode lab or clusters)");
    return client.get();
  }
}
