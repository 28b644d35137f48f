package dev.replcert.refdriver.cli;

import java.util.Locale;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/**
 * Logging of the standalone driver. The jar ships slf4j-simple (an optional dependency, so
 * embedders keep their own backend); it reads its configuration from system properties once, at
 * the first logger, so this runs before anything logs. A {@code -D} on the command line wins over
 * the defaults here.
 */
final class Logging {

  private static final String PREFIX = "org.slf4j.simpleLogger.";
  private static final Set<String> LEVELS = Set.of("error", "warn", "info", "debug", "trace", "off");

  private Logging() {}

  /** Defaults for every command: timestamps, and no netty noise. */
  static void defaults() {
    setIfAbsent("showDateTime", "true");
    setIfAbsent("dateTimeFormat", "HH:mm:ss.SSS");
    // netty warns about the TCP-only SO_KEEPALIVE option on every unix socket; noise, not news
    setIfAbsent("log.io.netty.bootstrap", "error");
  }

  /**
   * {@code serve --log-level}: the driver's own loggers at that level (debug: one line per call);
   * libraries stay at info unless the level is quieter, since their debug output would bury ours.
   */
  static void configure(CommandLine command, String level) {
    String normalized = level.toLowerCase(Locale.ROOT);
    if (!LEVELS.contains(normalized)) {
      throw new ParameterException(command, "--log-level must be one of " + LEVELS + ", got '" + level + "'");
    }
    defaults();
    boolean quieterThanInfo = Set.of("error", "warn", "off").contains(normalized);
    setIfAbsent("defaultLogLevel", quieterThanInfo ? normalized : "info");
    setIfAbsent("log.dev.replcert", normalized);
  }

  private static void setIfAbsent(String key, String value) {
    if (System.getProperty(PREFIX + key) == null) {
      System.setProperty(PREFIX + key, value);
    }
  }
}
