package dev.replcert.layer1.selfcert;

import dev.replcert.harness.selfcert.SuiteRun;
import dev.replcert.refdriver.Defect;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Not a check: the tool that says how reliably one test catches one defect (or, with {@code NONE},
 * how reliably the correct driver passes it), by running it alone again and again. A test earns a
 * row in {@link DefectCoverage} only if it fails every time:
 *
 * <pre>./mvnw -o -pl layer1-csi test -Dtest=DetectionRate -Dreplcert.selfcert.rate=GROUP_MEMBERS_INCONSISTENT:L1-VG-002:20</pre>
 */
class DetectionRate {

  @Test
  void runOnePlanItemRepeatedlyWithOneDefect() {
    String spec = System.getProperty("replcert.selfcert.rate", "");
    Assumptions.assumeFalse(spec.isBlank(), "a tool, run on demand: -Dreplcert.selfcert.rate=DEFECT:PLAN-ID:RUNS");
    String[] parts = spec.split(":");
    List<String> defects = parts[0].equals("NONE") ? List.of() : List.of(Defect.valueOf(parts[0]).name());
    String planId = parts[1];
    int runs = parts.length > 2 ? Integer.parseInt(parts[2]) : 10;
    int failed = 0;
    for (int i = 1; i <= runs; i++) {
      SuiteRun run =
          Layer1Suites.SUITES.planItems(List.of(planId))
              .withDefects(defects)
              .withCertOverrides(DefectsAreCaughtTest.SHORT_TIMEOUTS)
              .run();
      boolean caught = run.failed().contains(planId);
      failed += caught ? 1 : 0;
      System.out.printf("[rate] run %d: %s %s in %d s%n", i, planId, caught ? "FAILED" : "passed", run.took().toSeconds());
      if (!caught && !defects.isEmpty()) {
        // what the test saw, to tell why it missed
        run.record().tests().forEach(t -> t.attachments().stream()
            .filter(a -> !a.name().equals("gRPC calls"))
            .forEach(a -> System.out.printf("[rate]   %s: %s%n", a.name(), a.content().lines().findFirst().orElse(""))));
      }
    }
    System.out.printf("[rate] %s with %s failed %d of %d runs%n", planId, parts[0], failed, runs);
  }
}
