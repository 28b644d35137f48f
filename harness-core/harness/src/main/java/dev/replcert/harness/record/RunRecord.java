package dev.replcert.harness.record;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Everything one test run (one module's certification suites) leaves behind for the report:
 * what was certified, under which configuration (secrets redacted), and what each test found.
 *
 * @param schema {@link #SCHEMA}; readers reject other values
 * @param runId the id shared by every module of one Maven run (the report only trusts records
 *     of its own run)
 * @param module the Maven module that ran the suites
 * @param harnessVersion version of replcert that ran
 * @param mode lab, clusters or endpoint
 * @param driver identity of the driver under test
 * @param capabilities the capability profile: capability id -> claimed
 * @param config the effective configuration, secrets redacted
 * @param startedAt start of the run
 * @param finishedAt end of the run
 * @param tests one entry per certification test
 */
public record RunRecord(
    String schema,
    String runId,
    String module,
    String harnessVersion,
    String mode,
    DriverIdentity driver,
    Map<String, Boolean> capabilities,
    JsonNode config,
    Instant startedAt,
    Instant finishedAt,
    List<TestResult> tests) {

  public static final String SCHEMA = "replcert.dev/run-record/v1";

  public RunRecord {
    config = config == null || config.isNull() ? null : config;
    capabilities = capabilities == null ? Map.of() : Map.copyOf(capabilities);
    tests = tests == null ? List.of() : List.copyOf(tests);
  }
}
