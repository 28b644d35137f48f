package dev.replcert.layer2.selfcert;

import dev.replcert.harness.selfcert.SuiteRun;
import dev.replcert.harness.selfcert.SuiteRunner;
import dev.replcert.refdriver.Defect;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Not a check: the tool that fills {@link DefectCoverage}. Runs layer-2 suites with one catalogued
 * defect at a time and writes which plan items failed to {@code target/defect-sweep.md}:
 *
 * <pre>./mvnw -o -pl layer2-platform -am test -Dsurefire.failIfNoSpecifiedTests=false -Dtest=DefectSweep \
 *   -Dreplcert.selfcert.sweep='DEMOTE_SKIPS_FINAL_SYNC:L2-REL-001+L2-FB-002;PAUSE_NOT_PAUSING'</pre>
 *
 * Each {@code ;}-separated entry is a defect ({@code NONE}: the correct driver), optionally with
 * the lab's sync period ({@code DEMOTE_SKIPS_FINAL_SYNC@5s}) and the plan items to run ({@code +}
 * between them; none: every layer-2 suite, 15 minutes or more). {@code true} sweeps every defect
 * over every suite. {@code -Dreplcert.selfcert.sweepThreads=2} runs two entries at once.
 */
class DefectSweep {

  @Test
  void sweepDefectsOverLayer2Suites() throws Exception {
    String sweep = System.getProperty("replcert.selfcert.sweep", "");
    Assumptions.assumeFalse(sweep.isBlank(), "a tool, run on demand: -Dreplcert.selfcert.sweep=...");
    List<String> entries =
        sweep.equals("true")
            ? Arrays.stream(Defect.values()).map(Enum::name).toList()
            : Arrays.stream(sweep.split(";")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    List<String> lines = Collections.synchronizedList(new ArrayList<>());
    ExecutorService pool = Executors.newFixedThreadPool(Integer.getInteger("replcert.selfcert.sweepThreads", 1));
    try {
      List<Future<?>> runs = new ArrayList<>();
      for (String entry : entries) {
        runs.add(pool.submit(() -> lines.add(sweepOne(entry))));
      }
      for (Future<?> run : runs) {
        run.get();
      }
    } finally {
      pool.shutdownNow();
    }
    List<String> table = new ArrayList<>();
    table.add("| defect | ran | failed plan items | other outcomes (not PASSED) | seconds |");
    table.add("|---|---|---|---|---|");
    table.addAll(lines);
    Path out = Path.of("target", "defect-sweep.md");
    Files.createDirectories(out.getParent());
    Files.write(out, table);
    System.out.println("[sweep] written " + out.toAbsolutePath());
  }

  private static String sweepOne(String entry) {
    String[] parts = entry.split(":", 2);
    String[] defectAndSync = parts[0].strip().split("@", 2);
    String defect = defectAndSync[0];
    List<String> defects = defect.equals("NONE") ? List.of() : List.of(Defect.valueOf(defect).name());
    List<String> items = parts.length > 1 ? Arrays.asList(parts[1].strip().split("\\+")) : List.of();
    SuiteRunner runner =
        (items.isEmpty() ? Layer2Suites.SUITES.all() : Layer2Suites.SUITES.planItems(items))
            .withDefects(defects)
            .withCertOverrides(Layer2Suites.DEFECT_TIMEOUTS);
    if (defectAndSync.length > 1) {
      runner = runner.withSyncPeriod(defectAndSync[1]);
    }
    SuiteRun run = runner.run();
    String line = "| " + parts[0].strip() + " | " + (items.isEmpty() ? "all" : String.join(", ", items)) + " | "
        + String.join(", ", run.failed()) + " | " + String.join(", ", run.otherOutcomes()) + " | "
        + run.took().toSeconds() + " |";
    System.out.println("[sweep] " + line);
    System.out.println("[sweep] " + defect + " not passed:\n" + run.notPassed());
    return line;
  }
}
