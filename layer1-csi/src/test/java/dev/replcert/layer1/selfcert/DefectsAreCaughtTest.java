package dev.replcert.layer1.selfcert;

import static org.assertj.core.api.Assertions.assertThat;

import dev.replcert.harness.config.TimeoutOperation;
import dev.replcert.harness.selfcert.DefectTable;
import dev.replcert.harness.selfcert.SuiteRun;
import dev.replcert.refdriver.Defect;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A certification harness that passes a broken driver is worthless: with each catalogued defect
 * switched on, the layer-1 tests {@link DefectCoverage} maps it to must fail. Only those tests run
 * (selected by plan id), with short limits, so a defect that makes a test wait out a limit costs
 * seconds. Defects layer 1 does not catch are skipped with the table's reason.
 */
@Execution(ExecutionMode.CONCURRENT)
class DefectsAreCaughtTest {

  /** Limits of the defect runs, as cert.yaml overrides (the lab answers in milliseconds). */
  static final Map<String, String> SHORT_TIMEOUTS = shortTimeouts();

  /**
   * Defects seen only when no periodic sync falls between the last write and the operation under
   * test: a planned switch (stop the writer, unpublish, demote) takes a few hundred milliseconds, a
   * whole fast lab interval on a busy machine, and a sync in that gap ships what the defective
   * demote would lose. With 2 s the gap is far shorter than an interval.
   */
  static final Map<Defect, String> SLOW_SYNC = Map.of(Defect.DEMOTE_SKIPS_FINAL_SYNC, "2s");

  @ParameterizedTest(name = "{0}")
  @EnumSource(Defect.class)
  void theMappedTestsFailWithTheDefect(Defect defect) {
    DefectTable.Row entry = DefectCoverage.of(defect);
    Assumptions.assumeTrue(entry.caught(), () -> defect + " " + entry.kind() + ": " + entry.reason());

    SuiteRun run =
        Layer1Suites.SUITES.planItems(entry.planIds())
            .withDefects(List.of(defect.name()))
            .withCertOverrides(SHORT_TIMEOUTS)
            .withSyncPeriod(SLOW_SYNC.getOrDefault(defect, Layer1Suites.SYNC_PERIOD))
            .run();

    assertThat(run.failed())
        .as("with %s (%s; breaks: %s) these tests must fail; %s s; outcomes %s; not passed:%n%s",
            defect, defect.description(), defect.rule(), run.took().toSeconds(), run.outcomes(), run.notPassed())
        .containsAll(entry.planIds());
    System.out.printf("[selfcert] %s caught by %s in %d s%n", defect, run.failed(), run.took().toSeconds());
  }

  private static Map<String, String> shortTimeouts() {
    Map<String, String> overrides = new LinkedHashMap<>();
    for (TimeoutOperation op : TimeoutOperation.values()) {
      String limit =
          switch (op) {
            case POLL -> null;
            case FENCE, UNFENCE, DEMOTE, CLEANUP -> "3s";
            case FIRST_SYNC, RESYNC, SITE_UP, REPLICATION_ESTABLISHED -> "6s";
            // a verifier pod reads the whole PVC (seconds for the default 1Gi); only pods use it
            case VERIFY -> "60s";
            default -> "5s";
          };
      if (limit != null) {
        overrides.put("cert.timeouts.overrides." + op.id(), limit);
      }
    }
    return Map.copyOf(overrides);
  }
}
