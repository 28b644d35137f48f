package dev.replcert.layer2.selfcert;

import static org.assertj.core.api.Assertions.assertThat;

import dev.replcert.harness.selfcert.DefectTable;
import dev.replcert.harness.selfcert.SuiteRun;
import dev.replcert.harness.selfcert.SuiteRunner;
import dev.replcert.refdriver.Defect;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A DR certification that passes a driver which breaks DR is worthless: with each catalogued
 * defect that breaks a DR operation switched on, the layer-2 tests {@link DefectCoverage} maps it
 * to must fail. Only those tests run (selected by plan id), with the DR actions' limits cut to 30 s.
 * Defects layer 2 does not catch are skipped with the table's reason. Minutes per defect: tag
 * {@value Selfcert#TAG}, run with {@code -Pselfcert} (README).
 */
@Tag(Selfcert.TAG)
@Execution(ExecutionMode.CONCURRENT)
class DefectsAreCaughtTest {

  /**
   * Defects seen only when no periodic sync falls between the application's last write and the
   * demote: a relocate quiesces the application seconds before it demotes, so with the lab's 1 s
   * syncs a periodic sync ships what the defective demote leaves behind. With 5 s syncs L2-FB-002
   * loses records every time (L2-REL-001 only sometimes: its demote can still follow a sync); the
   * correct driver passes both (its demote ships the rest).
   */
  static final Map<Defect, String> SLOW_SYNC = Map.of(Defect.DEMOTE_SKIPS_FINAL_SYNC, "5s");

  @ParameterizedTest(name = "{0}")
  @EnumSource(Defect.class)
  void theMappedLayer2TestsFailWithTheDefect(Defect defect) {
    DefectTable.Row entry = DefectCoverage.of(defect);
    Assumptions.assumeTrue(entry.caught(), () -> defect + " " + entry.kind() + ": " + entry.reason());

    SuiteRunner runner =
        Layer2Suites.SUITES.planItems(entry.planIds())
            .withDefects(List.of(defect.name()))
            .withCertOverrides(Layer2Suites.DEFECT_TIMEOUTS);
    SuiteRun run = SLOW_SYNC.containsKey(defect) ? runner.withSyncPeriod(SLOW_SYNC.get(defect)).run() : runner.run();

    assertThat(run.failed())
        .as("with %s (%s; breaks the rule: %s) these layer-2 tests must fail; %s s; outcomes %s; not passed:%n%s",
            defect, defect.description(), defect.rule(), run.took().toSeconds(), run.outcomes(), run.notPassed())
        .containsAll(entry.planIds());
    System.out.printf("[selfcert] %s caught by %s in %d s%n", defect, run.failed(), run.took().toSeconds());
  }
}
