package dev.replcert.lab.substrate;

import dev.replcert.harness.config.TimeoutOperation;
import dev.replcert.harness.config.TimeoutProfile;
import dev.replcert.lab.substrate.kubelet.Kubelet;
import dev.replcert.lab.substrate.kubelet.PodLogDispatcher;
import dev.replcert.lab.substrate.provisioner.Provisioner;
import dev.replcert.refdriver.DriverOptions.NodeSpec;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.util.List;

/**
 * The substrate controllers of one managed cluster of the lab (what a real cluster gets from other
 * projects): the provisioner / PV controller and the kubelets of the site's nodes, on the cluster's
 * API server and the site's driver.
 *
 * <pre>
 * // the API server: new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
 * //     eastLogs = new PodLogDispatcher(new KubernetesCrudDispatcher()), false)
 * SiteSubstrate east =
 *     SiteSubstrate.start(eastClient, "east", options.socket(), options.nodes(), timeouts, eastLogs);
 * ...
 * east.close(); // before the API server and the site
 * </pre>
 */
public final class SiteSubstrate implements AutoCloseable {

  private final SiteDriver driver;
  private final Provisioner provisioner;
  private final Kubelet kubelet;

  private SiteSubstrate(SiteDriver driver, Provisioner provisioner, Kubelet kubelet) {
    this.driver = driver;
    this.provisioner = provisioner;
    this.kubelet = kubelet;
  }

  /**
   * Connects to the site's driver and starts the controllers; the kubelets' staging and target
   * paths go to a {@code kubelet} directory next to the driver's socket.
   *
   * @param socket the site's CSI socket (node sockets are found next to it)
   * @param nodes the site's nodes, as the driver knows them (id and client address): {@code
   *     DriverOptions.nodes()}
   * @param logs the API server's dispatcher, which then answers pod logs from the kubelet
   */
  public static SiteSubstrate start(
      KubernetesClient client,
      String site,
      Path socket,
      List<NodeSpec> nodes,
      TimeoutProfile timeouts,
      PodLogDispatcher logs) {
    SiteSubstrate substrate = start(client, site, socket, nodes, timeouts);
    logs.attach(substrate.podLogs());
    return substrate;
  }

  /** As above, without serving pod logs (for an API server without the log hook). */
  public static SiteSubstrate start(
      KubernetesClient client,
      String site,
      Path socket,
      List<NodeSpec> nodes,
      TimeoutProfile timeouts) {
    SiteDriver driver = new SiteDriver(socket, nodes, timeouts.of(TimeoutOperation.RPC));
    Provisioner provisioner = null;
    Kubelet kubelet = null;
    try {
      provisioner = new Provisioner(client, driver, timeouts.of(TimeoutOperation.RPC)).start();
      Path root = socket.toAbsolutePath().getParent().resolve("kubelet");
      kubelet = new Kubelet(client, driver, site, nodes, root, timeouts).start();
      return new SiteSubstrate(driver, provisioner, kubelet);
    } catch (RuntimeException e) {
      if (kubelet != null) {
        kubelet.close();
      }
      if (provisioner != null) {
        provisioner.close();
      }
      driver.close();
      throw e;
    }
  }

  /** Pod logs as the API server's log endpoint serves them ({@link PodLogDispatcher#attach}). */
  public PodLogDispatcher.PodLogs podLogs() {
    return kubelet::findPodLog;
  }

  public Kubelet kubelet() {
    return kubelet;
  }

  public Provisioner provisioner() {
    return provisioner;
  }

  @Override
  public void close() {
    try {
      kubelet.close();
    } finally {
      try {
        provisioner.close();
      } finally {
        driver.close();
      }
    }
  }
}
