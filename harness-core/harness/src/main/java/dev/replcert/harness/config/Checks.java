package dev.replcert.harness.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.regex.Pattern;

/** Shape checks for values that would otherwise fail late, inside a cluster or a gRPC dial. */
final class Checks {

  /** CSI spec, GetPluginInfo: domain name notation, at most 63 characters. */
  static final String DRIVER_NAME =
      "expected a CSI driver name in domain-name form (letters, digits, '-' and '.', starting and"
          + " ending with a letter or digit, at most 63 characters), e.g. csi.example.com";

  static final String GRPC_FORMS = "unix:///path/to/socket, dns:///host:port or host:port";
  static final String GRPC_TARGET = "expected " + GRPC_FORMS;
  static final String DNS_SUBDOMAIN =
      "expected a Kubernetes object name (lowercase letters, digits, '-' and '.', at most 253"
          + " characters)";
  static final String DNS_LABEL =
      "expected a Kubernetes namespace name (lowercase letters, digits and '-', at most 63"
          + " characters)";

  private static final Pattern DOMAIN_NAME =
      Pattern.compile("[A-Za-z0-9]([A-Za-z0-9.-]{0,61}[A-Za-z0-9])?");
  private static final Pattern SUBDOMAIN =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
  private static final Pattern LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
  private static final Pattern HOST_PORT =
      Pattern.compile("(\\[[0-9A-Fa-f:.]+]|[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?):(\\d{1,5})");
  private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");

  private Checks() {}

  static boolean isDriverName(String s) {
    return DOMAIN_NAME.matcher(s).matches();
  }

  static boolean isObjectName(String s) {
    return s.length() <= 253 && SUBDOMAIN.matcher(s).matches();
  }

  static boolean isNamespace(String s) {
    return LABEL.matcher(s).matches();
  }

  static boolean isGrpcTarget(String s) {
    if (s.startsWith("unix://")) {
      return s.length() > "unix://".length();
    }
    if (s.startsWith("dns:///")) {
      return isHostPort(s.substring("dns:///".length()));
    }
    return isHostPort(s);
  }

  private static boolean isHostPort(String s) {
    var m = HOST_PORT.matcher(s);
    if (!m.matches()) {
      return false;
    }
    int port = Integer.parseInt(m.group(3));
    return port >= 1 && port <= 65535;
  }

  static boolean isHttpUrl(String s) {
    try {
      URI uri = new URI(s);
      return ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
          && uri.getHost() != null;
    } catch (URISyntaxException e) {
      return false;
    }
  }

  /** S3 bucket naming rules, short form (what every S3 implementation accepts). */
  static boolean isBucket(String s) {
    return BUCKET.matcher(s).matches() && !s.contains("..");
  }

  static boolean isQuantity(String s) {
    return VolumeSettings.QUANTITY.matcher(s).matches() && !s.matches("0+[A-Za-z]*");
  }

  static boolean isBlank(String s) {
    return s == null || s.isBlank();
  }
}
