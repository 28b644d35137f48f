package dev.replcert.harness.junit;

import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The switches of one run, read from JUnit configuration parameters (which fall back to system
 * properties, so {@code -Dreplcert.keepOnFailure=true} works from Maven). Key overrides
 * ({@code -Dcert.<key.path>}) are read by the config loader itself.
 */
record RunSettings(
    String runId,
    String module,
    Path recordDir,
    boolean keepOnFailure,
    Optional<String> configFile,
    Map<String, String> certOverrides) {

  static final String RUN_ID = "replcert.runId";
  static final String MODULE = "replcert.module";
  static final String RECORD_DIR = "replcert.runRecord.dir";
  static final String KEEP_ON_FAILURE = "replcert.keepOnFailure";
  static final String CONFIG_FILE = "cert.config";

  /**
   * cert.yaml key overrides for one launcher run, as {@code cert.<key.path>=value} entries
   * separated by {@code ;} — what {@code -Dcert.<key.path>} does for the whole JVM. The harness's
   * own tests run several certification runs at once in one JVM, where system properties would
   * leak from one run into another.
   */
  static final String CERT_OVERRIDES = "replcert.certOverrides";

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
    // JUnit falls back to system properties; the environment variable is the loader's business
    Optional<String> file = context.getConfigurationParameter(CONFIG_FILE).filter(s -> !s.isBlank());
    Map<String, String> overrides =
        context.getConfigurationParameter(CERT_OVERRIDES).map(RunSettings::overrides).orElse(Map.of());
    return new RunSettings(runId, module, recordDir, keep, file, overrides);
  }

  /** {@code cert.a.b=1;cert.c=2} as a map; an entry without {@code =} or prefix is an error. */
  static Map<String, String> overrides(String entries) {
    Map<String, String> overrides = new LinkedHashMap<>();
    for (String entry : entries.split(";")) {
      if (entry.isBlank()) {
        continue;
      }
      int equals = entry.indexOf('=');
      String key = equals < 0 ? entry.strip() : entry.substring(0, equals).strip();
      if (equals < 0 || !key.startsWith("cert.")) {
        throw new IllegalArgumentException(
            CERT_OVERRIDES + ": expected cert.<key.path>=value entries separated by ';', got '"
                + key + "'");
      }
      overrides.put(key, entry.substring(equals + 1).strip());
    }
    return Map.copyOf(overrides);
  }

  Path recordFile() {
    return recordDir.resolve("run-record.json");
  }
}
