package dev.replcert.harness.record;

import java.util.Map;

/**
 * Who was certified: the driver name from the configuration and, when the environment could
 * ask the driver, what its csi-addons Identity service reported.
 */
public record DriverIdentity(
    String configuredName, String reportedName, String vendorVersion, Map<String, String> manifest) {

  public DriverIdentity {
    manifest = manifest == null ? Map.of() : Map.copyOf(manifest);
  }

  public static DriverIdentity configured(String name) {
    return new DriverIdentity(name, null, null, Map.of());
  }
}
