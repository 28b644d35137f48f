package dev.replcert.layer1.selfcert;

import dev.replcert.harness.selfcert.SuiteRun;
import dev.replcert.refdriver.Defect;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Not a check: the tool that fills {@link DefectCoverage}. Runs every layer-1 suite once per
 * catalogued defect and writes which plan items failed to {@code target/defect-sweep.md}. Run it
 * after suites change:
 *
 * <pre>./mvnw -o -pl layer1-csi test -Dtest=DefectSweep -Dreplcert.selfcert.sweep=true</pre>
 *
 * (several minutes; {@code -Dreplcert.selfcert.sweep=SOME_DEFECT,OTHER} sweeps only those).
 */
class DefectSweep {

  @Test
  void sweepEveryDefectOverEveryLayer1Suite() throws IOException {
    String sweep = System.getProperty("replcert.selfcert.sweep", "");
    Assumptions.assumeFalse(sweep.isBlank(), "a tool, run on demand: -Dreplcert.selfcert.sweep=true");
    List<String> lines = new ArrayList<>();
    lines.add("| defect | failed plan items | other outcomes (not PASSED) | seconds |");
    lines.add("|---|---|---|---|");
    for (Defect defect : Defect.values()) {
      if (!sweep.equals("true") && !Set.of(sweep.split(",")).contains(defect.name())) {
        continue;
      }
      SuiteRun run =
          Layer1Suites.SUITES.all()
              .withDefects(List.of(defect.name()))
              .withCertOverrides(DefectsAreCaughtTest.SHORT_TIMEOUTS)
              .run();
      Set<String> other = run.otherOutcomes();
      String line = "| " + defect + " | " + String.join(", ", run.failed()) + " | " + String.join(", ", other)
          + " | " + run.took().toSeconds() + " |";
      System.out.println("[sweep] " + line);
      lines.add(line);
    }
    Path out = Path.of("target", "defect-sweep.md");
    Files.createDirectories(out.getParent());
    Files.write(out, lines);
    System.out.println("[sweep] written " + out.toAbsolutePath());
  }
}
