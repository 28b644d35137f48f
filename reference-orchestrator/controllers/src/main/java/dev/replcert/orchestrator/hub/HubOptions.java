package dev.replcert.orchestrator.hub;

import java.time.Duration;

/**
 * Timing and site facts of the hub controllers.
 *
 * @param retry how soon something not settled is looked at again (fence in progress, S3 down)
 * @param resync how often a settled resource is looked at anyway (Ramen's periodic requeue)
 * @param networkFenceClass the NetworkFenceClass a fencing peer uses, or null for none (then the
 *     NetworkFence carries driver/secret/clusterID from the DRCluster's storage annotations, Ramen's
 *     older path). Ramen reads the classes from the peer's DRClusterConfig status, which this API
 *     catalogue does not carry yet.
 */
public record HubOptions(Duration retry, Duration resync, String networkFenceClass) {

  public static HubOptions defaults() {
    return new HubOptions(Duration.ofSeconds(5), Duration.ofMinutes(1), null);
  }

  public HubOptions withNetworkFenceClass(String className) {
    return new HubOptions(retry, resync, className);
  }
}
