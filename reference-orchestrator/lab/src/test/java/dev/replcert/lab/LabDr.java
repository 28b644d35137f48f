package dev.replcert.lab;

import static dev.replcert.lab.LabOrchestratorTest.NS;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.open_cluster_management.cluster.v1beta1.PlacementDecision;
import io.openshift.ramendr.v1alpha1.DRPlacementControl;
import io.openshift.ramendr.v1alpha1.DRPlacementControlSpec.Action;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.core.ConditionTimeoutException;

/**
 * What the lab's DR tests do with the hub's DRPC of application {@value LabDrpcDefectTest#APP}:
 * set an action, read its placement, and wait on named conditions that show what they last saw.
 */
final class LabDr {

  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
  private static final int CONFLICT_RETRIES = 20;

  private LabDr() {}

  /**
   * Sets the DRPC's action and its target cluster ({@code failoverCluster} for a failover, {@code
   * preferredCluster} otherwise); retried when it conflicts with the controller's own status writes.
   */
  static void act(KubernetesClient hub, Action action, String cluster) {
    for (int attempt = 1; ; attempt++) {
      try {
        hub.resources(DRPlacementControl.class).inNamespace(NS).withName(LabDrpcDefectTest.APP).edit(d -> {
          d.getSpec().setAction(action);
          if (action == Action.FAILOVER) {
            d.getSpec().setFailoverCluster(cluster);
          } else {
            d.getSpec().setPreferredCluster(cluster);
          }
          return d;
        });
        return;
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409 || attempt == CONFLICT_RETRIES) {
          throw e;
        }
      }
    }
  }

  /** The clusters the DRPC's PlacementDecision names (empty while it names none). */
  static List<String> decisions(KubernetesClient hub) {
    PlacementDecision d = hub.resources(PlacementDecision.class).inNamespace(NS)
        .withName(LabDrpcDefectTest.APP + "-decision-1").get();
    return d == null || d.getStatus() == null || d.getStatus().getDecisions() == null ? List.of()
        : d.getStatus().getDecisions().stream().map(x -> x.getClusterName()).toList();
  }

  /** The condition of {@code type}, if reported. */
  static Optional<Condition> condition(List<Condition> conditions, String type) {
    return Objects.requireNonNullElse(conditions, List.<Condition>of()).stream()
        .filter(c -> type.equals(c.getType()))
        .findFirst();
  }

  /** Whether condition {@code type} is reported with {@code status}. */
  static boolean is(List<Condition> conditions, String type, String status) {
    return condition(conditions, type).map(c -> status.equals(c.getStatus())).orElse(false);
  }

  /** What a timeout prints of a model object (their toString names only the class). */
  static String json(Object value) {
    return value == null ? "null" : SERIALIZATION.asJson(value);
  }

  /** Waits until {@code check} holds; a timeout says what was seen last. */
  static void check(String what, Duration atMost, AtomicReference<String> seen, Callable<Boolean> check) {
    check(what, Duration.ZERO, atMost, seen, check);
  }

  /**
   * Waits until {@code check} holds, for {@code during} without a break when that is not zero; a
   * timeout says what was seen last.
   */
  static void check(String what, Duration during, Duration atMost, AtomicReference<String> seen,
      Callable<Boolean> check) {
    try {
      var wait = await(what).atMost(atMost).pollInterval(Duration.ofMillis(250));
      (during.isZero() ? wait : wait.during(during)).until(check);
    } catch (ConditionTimeoutException e) {
      throw new AssertionError(what + "; last seen: " + seen.get(), e);
    }
  }
}
