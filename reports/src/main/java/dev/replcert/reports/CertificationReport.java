package dev.replcert.reports;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Everything the renderers show; report.json is this record as JSON.
 *
 * @param schema {@link #SCHEMA}
 * @param generatedAt when the report was made
 * @param planVersion version of the test plan evaluated against
 * @param run what the run records say about the run
 * @param verdict the overall verdict and its reasons
 * @param capabilities the capability matrix, one row per capability the harness knows
 * @param counts plan items by status
 * @param coverage harness coverage of the plan (not part of the verdict)
 * @param items one row per plan item, in plan order
 * @param unplannedTests test results whose plan id is missing or not in the plan
 * @param drTimelines the DR timelines the tests attached, in test order
 */
public record CertificationReport(
    String schema,
    Instant generatedAt,
    String planVersion,
    RunInfo run,
    OverallVerdict verdict,
    List<CapabilityResult> capabilities,
    ItemCounts counts,
    Coverage coverage,
    List<ItemResult> items,
    List<ExecutedTest> unplannedTests,
    List<DrTimelineEntry> drTimelines) {

  public static final String SCHEMA = "replcert.dev/certification-report/v1";

  public CertificationReport {
    Objects.requireNonNull(run, "run");
    Objects.requireNonNull(verdict, "verdict");
    capabilities = capabilities == null ? List.of() : List.copyOf(capabilities);
    items = items == null ? List.of() : List.copyOf(items);
    unplannedTests = unplannedTests == null ? List.of() : List.copyOf(unplannedTests);
    drTimelines = drTimelines == null ? List.of() : List.copyOf(drTimelines);
  }
}
