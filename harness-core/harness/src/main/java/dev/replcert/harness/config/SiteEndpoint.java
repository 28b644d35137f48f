package dev.replcert.harness.config;

/**
 * Where one site's driver listens: the CSI socket (Identity, Controller), the csi-addons socket,
 * and the CSI Node socket of the node the harness runs its data checks on. Many drivers serve all
 * on one socket, so {@code addons} and {@code node} default to {@code csi}. Each is {@code
 * unix://path}, {@code dns:///host:port} or {@code host:port}, as gRPC target strings.
 */
public record SiteEndpoint(String csi, String addons, String node) {

  public SiteEndpoint {
    addons = addons == null ? csi : addons;
    node = node == null ? csi : node;
  }

  public SiteEndpoint(String csi, String addons) {
    this(csi, addons, null);
  }
}
