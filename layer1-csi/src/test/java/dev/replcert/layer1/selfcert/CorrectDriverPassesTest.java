package dev.replcert.layer1.selfcert;

import static org.assertj.core.api.Assertions.assertThat;

import dev.replcert.harness.record.Outcome;
import dev.replcert.harness.record.TestResult;
import dev.replcert.harness.selfcert.SuiteRun;
import dev.replcert.harness.selfcert.SuiteRunner;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A certification harness that fails a correct driver is worse than none: the correct reference
 * driver passes every applicable layer-1 test, run after run. {@code
 * -Dreplcert.selfcert.repetitions=5} repeats the whole layer-1 run (one run keeps {@code ./mvnw
 * verify} fast).
 */
class CorrectDriverPassesTest {

  static final String REPETITIONS = "replcert.selfcert.repetitions";

  @Test
  void theCorrectReferenceDriverPassesEveryApplicableLayer1Test() {
    int repetitions = Integer.getInteger(REPETITIONS, 1);
    int expected = Layer1Suites.SUITES.planIndex().size();
    for (int run = 1; run <= repetitions; run++) {
      SuiteRun result = Layer1Suites.SUITES.all().run();

      List<TestResult> tests = result.record().tests();
      assertThat(tests)
          .as("run %d of %d: every layer-1 certification test has a result (launcher: %s)",
              run, repetitions, SuiteRunner.failures(result.summary()))
          .hasSize(expected);
      assertThat(tests)
          .as("run %d of %d (%s s): with the correct driver every test passes, or is skipped because"
                  + " the capability profile does not claim what it needs; not passed:%n%s",
              run, repetitions, result.took().toSeconds(), result.notPassed())
          .allMatch(CorrectDriverPassesTest::passedOrSkippedByCapability);
      System.out.printf("[selfcert] correct driver, run %d of %d: %d tests passed in %d s%n",
          run, repetitions, tests.size(), result.took().toSeconds());
    }
  }

  private static boolean passedOrSkippedByCapability(TestResult test) {
    return test.outcome() == Outcome.PASSED
        || (test.outcome() == Outcome.SKIPPED
            && test.reason() != null
            && test.reason().contains("does not claim"));
  }
}
