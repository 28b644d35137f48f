package dev.replcert.reports;

import dev.replcert.harness.record.DriverIdentity;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What the run records of one run say about the run itself (everything but the test results).
 * Fields are null when no record of the run was found; the report still renders then.
 *
 * @param runId the run the report is about
 * @param harnessVersion replcert version(s) that ran
 * @param mode lab, clusters or endpoint
 * @param driver identity of the driver under test
 * @param capabilityProfile capability id -> claimed (a capability counts as claimed when any record
 *     claims it: claiming more demands more, so a disagreement cannot hide a gap)
 * @param startedAt earliest start of the run's records
 * @param finishedAt latest finish of the run's records
 * @param records the records of this run that were merged
 * @param ignoredRecords records found that belong to other runs
 * @param configs effective configurations, secrets redacted by the harness
 * @param inconsistencies sentences describing where the run's records disagree
 */
public record RunInfo(
    String runId,
    String harnessVersion,
    String mode,
    DriverIdentity driver,
    Map<String, Boolean> capabilityProfile,
    Instant startedAt,
    Instant finishedAt,
    List<RecordSource> records,
    List<RecordSource> ignoredRecords,
    List<ModuleConfig> configs,
    List<String> inconsistencies) {

  public RunInfo {
    capabilityProfile = capabilityProfile == null ? Map.of() : Map.copyOf(capabilityProfile);
    records = records == null ? List.of() : List.copyOf(records);
    ignoredRecords = ignoredRecords == null ? List.of() : List.copyOf(ignoredRecords);
    configs = configs == null ? List.of() : List.copyOf(configs);
    inconsistencies = inconsistencies == null ? List.of() : List.copyOf(inconsistencies);
  }

  public boolean claims(String capabilityId) {
    return Boolean.TRUE.equals(capabilityProfile.get(capabilityId));
  }
}
