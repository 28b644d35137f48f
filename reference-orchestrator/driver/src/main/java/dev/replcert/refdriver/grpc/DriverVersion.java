package dev.replcert.refdriver.grpc;

/** The vendor_version reported by GetPluginInfo / GetIdentity. */
public final class DriverVersion {

  /** Used when the classes do not come from the packaged jar (tests, IDE). */
  static final String FALLBACK = "0.1.0";

  private DriverVersion() {}

  public static String get() {
    String fromJar = DriverVersion.class.getPackage().getImplementationVersion();
    return fromJar == null || fromJar.isBlank() ? FALLBACK : fromJar;
  }
}
