package dev.replcert.orchestrator;

import dev.replcert.orchestrator.drpc.DrpcReconciler;
import dev.replcert.orchestrator.hub.DrClusterReconciler;
import dev.replcert.orchestrator.hub.DrPolicyReconciler;
import dev.replcert.orchestrator.hub.HubOptions;
import dev.replcert.orchestrator.s3.ObjectStores;
import dev.replcert.orchestrator.s3.S3Profiles;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.processing.retry.GenericRetry;
import java.time.Clock;

/**
 * Ramen's hub operator in-process: the DRPolicy, DRCluster and DRPlacementControl controllers on a JOSDK {@link
 * Operator} against the hub client. Managed clusters are reached only through ManifestWork and
 * ManagedClusterView in their hub namespaces, as Ramen does. {@link #close()} stops it, leaving the
 * client open; no static state.
 */
public final class HubControllers implements AutoCloseable {

  private final Operator operator;
  private final ObjectStores stores;

  private HubControllers(Operator operator, ObjectStores stores) {
    this.operator = operator;
    this.stores = stores;
  }

  /**
   * Starts the controllers.
   *
   * @param hub the hub cluster
   * @param profiles where S3 profiles are looked up by name (Ramen: {@code
   *     ramen-hub-operator-config})
   * @param secretNamespace where a profile's Secret is when its ref names no namespace
   */
  public static HubControllers start(
      KubernetesClient hub, S3Profiles profiles, String secretNamespace, HubOptions options) {
    ObjectStores stores = new ObjectStores(hub, profiles, secretNamespace);
    Operator operator = OperatorSetup.operator(hub);
    try {
      GenericRetry retry = OperatorSetup.retryForever(options.retry(), options.resync());
      Clock clock = Clock.systemUTC();
      operator.register(new DrPolicyReconciler(hub, options, clock), o -> o.withRetry(retry));
      operator.register(
          new DrClusterReconciler(hub, stores, options, clock), o -> o.withRetry(retry));
      operator.register(new DrpcReconciler(hub, options, clock), o -> o.withRetry(retry));
      operator.start();
    } catch (RuntimeException e) {
      stores.close();
      throw e;
    }
    return new HubControllers(operator, stores);
  }

  @Override
  public void close() {
    try {
      OperatorSetup.stop(operator);
    } finally {
      stores.close();
    }
  }
}
