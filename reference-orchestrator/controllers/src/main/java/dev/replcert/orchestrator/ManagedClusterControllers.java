package dev.replcert.orchestrator;

import dev.replcert.orchestrator.drcconfig.DrClusterConfigReconciler;
import dev.replcert.orchestrator.s3.ObjectStores;
import dev.replcert.orchestrator.s3.S3Profiles;
import dev.replcert.orchestrator.vrg.VrgOptions;
import dev.replcert.orchestrator.vrg.VrgReconciler;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.processing.retry.GenericRetry;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ramen's DR-cluster operator in-process: the controllers of one managed cluster (the
 * VolumeReplicationGroup controller, and the DRClusterConfig controller where its CRD is installed) on a JOSDK {@link Operator} against the given client. The lab
 * and the harness start one per managed cluster; {@link #close()} stops it, leaving the client open
 * (it belongs to the caller). No static state: several run side by side in one JVM.
 */
public final class ManagedClusterControllers implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ManagedClusterControllers.class);

  /** Optional on a real cluster: without it the hub derives no peer classes. */
  static final String DRCLUSTERCONFIG_CRD = "drclusterconfigs.ramendr.openshift.io";

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
      if (hasCrd(client, DRCLUSTERCONFIG_CRD)) {
        operator.register(
            new DrClusterConfigReconciler(client, options.resync(), Clock.systemUTC()), o -> o.withRetry(retry));
      } else {
        LOG.warn("no CRD {} on this cluster: its classes are not reported to the hub, and DRPolicies over it"
            + " list no peer classes (install Ramen's CRDs)", DRCLUSTERCONFIG_CRD);
      }
      operator.start();
    } catch (RuntimeException e) {
      stores.close();
      throw e;
    }
    return new ManagedClusterControllers(operator, stores);
  }

  private static boolean hasCrd(KubernetesClient client, String name) {
    return client.apiextensions().v1().customResourceDefinitions().withName(name).get() != null;
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
