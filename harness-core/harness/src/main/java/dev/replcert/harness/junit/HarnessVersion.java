package dev.replcert.harness.junit;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The replcert version, from a resource the build filters. */
final class HarnessVersion {

  private HarnessVersion() {}

  static String get() {
    try (InputStream in = HarnessVersion.class.getResourceAsStream("/dev/replcert/harness/version.properties")) {
      if (in == null) {
        return "unknown";
      }
      Properties p = new Properties();
      p.load(in);
      return p.getProperty("version", "unknown");
    } catch (IOException e) {
      return "unknown";
    }
  }
}
