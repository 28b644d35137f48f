package dev.replcert.orchestrator;

import dev.replcert.orchestrator.s3.ObjectStores;
import dev.replcert.orchestrator.s3.S3Profiles;
import dev.replcert.orchestrator.vrg.VrgOptions;
import dev.replcert.orchestrator.vrg.VrgReconciler;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.processing.retry.GenericRetry;
import java.time.Clock;

/**
 * Ramen's DR-cluster operator in-process: the controllers of one managed cluster (today the
 * VolumeReplicationGroup controller) on a JOSDK {@link Operator} against the given client. The lab
 * and the harness start one per managed cluster; {@link #close()} stops it, leaving the client open
 * (it belongs to the caller). No static state: several run side by side in one JVM.
 */
public final class ManagedClusterControllers implements AutoCloseable {

  private final Operator operator;
  private final ObjectStores stores;

  private ManagedClusterControllers(Operator operator, ObjectStores stores) {
    this.operator = operator;
    this.stores = stores;
  }

  /**
   * Starts the controllers.
   *
   * @param client the managed cluster
   * @param profiles where S3 profiles are looked up by name (Ramen: its operator ConfigMap, see
   *     {@link S3Profiles#fromRamenConfigMap})
   * @param secretNamespace where a profile's Secret is when its ref names no namespace
   */
  public static ManagedClusterControllers start(
      KubernetesClient client, S3Profiles profiles, String secretNamespace, VrgOptions options) {
    ObjectStores stores = new ObjectStores(client, profiles, secretNamespace);
    Operator operator = OperatorSetup.operator(client);
    try {
      GenericRetry retry = OperatorSetup.retryForever(options.retry(), options.resync());
      operator.register(
          new VrgReconciler(client, stores, options, Clock.systemUTC()), o -> o.withRetry(retry));
      operator.start();
    } catch (RuntimeException e) {
      stores.close();
      throw e;
    }
    return new ManagedClusterControllers(operator, stores);
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
