package dev.replcert.harness.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * cert.yaml, bound and validated: everything a run needs to know about the target. Built by {@link
 * ConfigLoader}; the canonical constructor fills every default, so a config built in code is as
 * complete as a loaded one. Sections that are optional stay null when absent ({@code clusters},
 * {@code disaster}).
 */
public record CertificationConfig(
    String apiVersion,
    String kind,
    Mode mode,
    DriverConfig driver,
    ClustersConfig clusters,
    ClassNames classes,
    List<S3Profile> s3Profiles,
    Orchestrator orchestrator,
    DisasterHooks disaster,
    WorkloadConfig workload,
    TimeoutsConfig timeouts,
    CapabilityProfile capabilities,
    SuiteConfig suite) {

  public static final String API_VERSION = "replcert.dev/v1alpha1";
  public static final String KIND = "CertificationConfig";

  /** The bundled reference driver the lab runs. */
  public static final String REFERENCE_DRIVER = "reference.replcert.dev";

  public CertificationConfig {
    apiVersion = apiVersion == null ? API_VERSION : apiVersion;
    kind = kind == null ? KIND : kind;
    mode = mode == null ? Mode.LAB : mode;
    driver = driver == null ? new DriverConfig(null, null, null, null, null, null, null) : driver;
    if (mode == Mode.LAB && driver.name() == null) {
      driver = driver.withName(REFERENCE_DRIVER);
    }
    classes = classes == null ? new ClassNames(null, null, null, null, null, null) : classes;
    s3Profiles = Copies.list(s3Profiles);
    orchestrator = orchestrator == null ? Orchestrator.BUNDLED : orchestrator;
    workload = workload == null ? new WorkloadConfig(null, null, null) : workload;
    timeouts =
        (timeouts == null ? new TimeoutsConfig(null, null) : timeouts)
            .withDefaultProfile(mode == Mode.LAB ? TimeoutProfile.LAB : TimeoutProfile.DEFAULT);
    // Unstated capabilities are not claimed; a file that states none certifies replication only.
    capabilities = capabilities == null ? CapabilityProfile.replicationOnly() : capabilities;
    suite = suite == null ? new SuiteConfig(null) : suite;
  }

  /** The preset named by {@code timeouts.profile} with {@code timeouts.overrides} applied. */
  public TimeoutProfile timeoutProfile() {
    return TimeoutProfile.named(timeouts.profile()).withOverrides(timeouts.overrides());
  }

  /**
   * The effective config (defaults filled in) as a tree for the run record. Inline secrets are
   * {@code "<redacted>"}; {@code fromEnv}/{@code fromFile} references are kept, they are not
   * secret.
   */
  public JsonNode redacted() {
    return ConfigMapper.toTree(this);
  }

  /** Every secret in the config, e.g. to build a redactor for logs from their revealed values. */
  public List<SecretValue> allSecrets() {
    List<SecretValue> all = new ArrayList<>(driver.secrets().values());
    s3Profiles.forEach(p -> Stream.of(p.accessKeyId(), p.secretAccessKey()).forEach(all::add));
    all.removeIf(s -> s == null);
    return List.copyOf(all);
  }
}
