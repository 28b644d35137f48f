package dev.replcert.harness.junit;

import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The switches of one run, read from JUnit configuration parameters (which fall back to system
 * properties, so {@code -Dreplcert.keepOnFailure=true} works from Maven).
 */
record RunSettings(
    String runId,
    String module,
    Path recordDir,
    boolean keepOnFailure,
    Optional<Path> configFile,
    Map<String, String> overrides) {

  static final String RUN_ID = "replcert.runId";
  static final String MODULE = "replcert.module";
  static final String RECORD_DIR = "replcert.runRecord.dir";
  static final String KEEP_ON_FAILURE = "replcert.keepOnFailure";
  static final String CONFIG_FILE = "cert.config";
  static final String CONFIG_ENV = "REPLCERT_CONFIG";
  static final String OVERRIDE_PREFIX = "cert.";

  static RunSettings from(ExtensionContext context) {
    String runId =
        context
            .getConfigurationParameter(RUN_ID)
            .orElseGet(
                () ->
                    DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
                        .withZone(ZoneOffset.UTC)
                        .format(Instant.now()));
    String module =
        context
            .getConfigurationParameter(MODULE)
            .orElseGet(() -> Path.of("").toAbsolutePath().getFileName().toString());
    Path recordDir =
        Path.of(context.getConfigurationParameter(RECORD_DIR).orElse("target/replcert"));
    boolean keep =
        context.getConfigurationParameter(KEEP_ON_FAILURE).map(Boolean::parseBoolean).orElse(false);
    Optional<Path> file =
        context
            .getConfigurationParameter(CONFIG_FILE)
            .or(() -> Optional.ofNullable(System.getenv(CONFIG_ENV)))
            .filter(s -> !s.isBlank())
            .map(Path::of);
    return new RunSettings(runId, module, recordDir, keep, file, systemPropertyOverrides());
  }

  /** Every {@code -Dcert.<key.path>=value} except the file selector itself. */
  private static Map<String, String> systemPropertyOverrides() {
    Map<String, String> overrides = new TreeMap<>();
    System.getProperties()
        .forEach(
            (k, v) -> {
              String key = k.toString();
              if (key.startsWith(OVERRIDE_PREFIX) && !key.equals(CONFIG_FILE)) {
                overrides.put(key.substring(OVERRIDE_PREFIX.length()), v.toString());
              }
            });
    return overrides;
  }

  Path recordFile() {
    return recordDir.resolve("run-record.json");
  }
}
