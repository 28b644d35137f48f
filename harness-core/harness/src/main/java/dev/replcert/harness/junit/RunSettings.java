package dev.replcert.harness.junit;

import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
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
    Optional<String> configFile) {

  static final String RUN_ID = "replcert.runId";
  static final String MODULE = "replcert.module";
  static final String RECORD_DIR = "replcert.runRecord.dir";
  static final String KEEP_ON_FAILURE = "replcert.keepOnFailure";
  static final String CONFIG_FILE = "cert.config";

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
    return new RunSettings(runId, module, recordDir, keep, file);
  }

  Path recordFile() {
    return recordDir.resolve("run-record.json");
  }
}
