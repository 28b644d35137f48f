package dev.replcert.harness.junit;

import dev.replcert.harness.config.CertificationConfig;
import dev.replcert.harness.config.ConfigException;
import dev.replcert.harness.config.ConfigLoader;
import dev.replcert.harness.config.SecretValue;
import dev.replcert.harness.record.DriverIdentity;
import dev.replcert.harness.record.Redactor;
import dev.replcert.harness.record.RunRecord;
import dev.replcert.harness.record.RunRecordJson;
import dev.replcert.harness.record.TestResult;
import dev.replcert.harness.spi.Environment;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything scoped to one test run (one JUnit engine execution): the configuration, loaded once;
 * the environment, started on first use and closed at the end; the results; and the run record,
 * written when JUnit closes the root context store.
 */
final class CertificationRun implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(CertificationRun.class);
  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(CertificationRun.class);

  private final RunSettings settings;
  private final java.util.function.Function<String, Optional<String>> parameters;
  private final Instant startedAt = Instant.now();
  private final CertificationConfig config;
  private final ConfigException configError;
  private final Redactor redactor;
  private final List<TestResult> results = new ArrayList<>();
  private Environment environment;
  private RuntimeException environmentError;

  private CertificationRun(
      RunSettings settings, java.util.function.Function<String, Optional<String>> parameters) {
    this.settings = settings;
    this.parameters = parameters;
    CertificationConfig loaded = null;
    ConfigException error = null;
    try {
      loaded =
          ConfigLoader.loadForRun(settings.configFile().orElse(null), settings.certOverrides());
    } catch (ConfigException e) {
      error = e;
      LOG.error("{}", e.getMessage());
    }
    this.config = loaded;
    this.configError = error;
    this.redactor = loaded == null ? Redactor.none() : new Redactor(revealAll(loaded));
  }

  private static List<String> revealAll(CertificationConfig config) {
    List<String> values = new ArrayList<>();
    for (SecretValue secret : config.allSecrets()) {
      try {
        values.add(secret.reveal());
      } catch (RuntimeException unreadable) {
        // nothing to mask if it cannot be read; the code that needs it reports that
      }
    }
    return values;
  }

  /** The run of this engine execution, created by the first certification test to ask. */
  static CertificationRun of(ExtensionContext context) {
    return context
        .getRoot()
        .getStore(NAMESPACE)
        .getOrComputeIfAbsent(
            CertificationRun.class,
            k ->
                new CertificationRun(
                    RunSettings.from(context), context.getRoot()::getConfigurationParameter),
            CertificationRun.class);
  }

  RunSettings settings() {
    return settings;
  }

  /** The configuration; throws the configuration error (every problem, no secret) if invalid. */
  CertificationConfig config() {
    if (configError != null) {
      throw configError;
    }
    return config;
  }

  Optional<CertificationConfig> validConfig() {
    return Optional.ofNullable(config);
  }

  Redactor redactor() {
    return redactor;
  }

  /** Starts the environment once; a failed start fails every test that needs it, with the cause. */
  synchronized Environment environment() {
    if (environmentError != null) {
      throw environmentError;
    }
    if (environment == null) {
      try {
        environment = EnvironmentResolver.start(config(), parameters);
        LOG.info("environment '{}' started", environment.name());
      } catch (ConfigException e) {
        throw e;
      } catch (RuntimeException e) {
        environmentError =
            e instanceof EnvironmentUnavailableException
                ? e
                : new EnvironmentUnavailableException(
                    "the " + config.mode().id() + " environment did not start: " + e.getMessage(),
                    e);
        throw environmentError;
      }
    }
    return environment;
  }

  /** The environment if some test already started it; never starts it. */
  synchronized Optional<Environment> startedEnvironment() {
    return Optional.ofNullable(environment);
  }

  synchronized void record(TestResult result) {
    results.add(result);
  }

  @Override
  public synchronized void close() {
    Optional<DriverIdentity> reported = Optional.empty();
    if (environment != null) {
      try {
        reported = environment.driverIdentity();
      } catch (RuntimeException e) {
        LOG.warn("could not read the driver identity: {}", e.toString());
      }
      try {
        environment.close();
      } catch (RuntimeException e) {
        LOG.error("closing environment '{}' failed: {}", environment.name(), e.toString());
      }
    }
    RunRecord record =
        new RunRecord(
            RunRecord.SCHEMA,
            settings.runId(),
            settings.module(),
            HarnessVersion.get(),
            config == null ? null : config.mode().id(),
            driverIdentity(reported),
            config == null ? Map.of() : config.capabilities().asMap(),
            config == null ? null : config.redacted(),
            startedAt,
            Instant.now(),
            results);
    RunRecordJson.write(record, settings.recordFile());
    LOG.info("run record written: {}", settings.recordFile().toAbsolutePath());
  }

  private DriverIdentity driverIdentity(Optional<DriverIdentity> reported) {
    String configured = config == null ? null : config.driver().name();
    return reported
        .map(r -> new DriverIdentity(configured, r.reportedName(), r.vendorVersion(), r.manifest()))
        .orElseGet(() -> DriverIdentity.configured(configured));
  }
}
