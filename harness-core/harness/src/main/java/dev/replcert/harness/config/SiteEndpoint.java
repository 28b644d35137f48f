package dev.replcert.harness.config;

/**
 * Where one site's driver listens: the CSI socket and the csi-addons socket. Many drivers serve
 * both on one socket, so {@code addons} defaults to {@code csi}. Each is {@code unix://path},
 * {@code dns:///host:port} or {@code host:port}, as gRPC target strings.
 */
public record SiteEndpoint(String csi, String addons) {

  public SiteEndpoint {
    addons = addons == null ? csi : addons;
  }
}
