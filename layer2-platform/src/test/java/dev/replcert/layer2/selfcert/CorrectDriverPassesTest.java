package dev.replcert.layer2.selfcert;

import static org.assertj.core.api.Assertions.assertThat;

import dev.replcert.harness.record.Outcome;
import dev.replcert.harness.record.TestResult;
import dev.replcert.harness.selfcert.SuiteRun;
import dev.replcert.harness.selfcert.SuiteRunner;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A DR certification that fails a correct driver is worse than none: the lab's bundled
 * orchestrator with the correct reference driver passes every layer-2 test, run after run. {@code
 * -Dreplcert.selfcert.repetitions=5} repeats the whole layer-2 run (about ten minutes each); tag
 * {@value Selfcert#TAG}, run with {@code -Pselfcert} (README).
 */
@Tag(Selfcert.TAG)
class CorrectDriverPassesTest {

  static final String REPETITIONS = "replcert.selfcert.repetitions";

  @Test
  void theCorrectReferenceDriverPassesEveryLayer2Test() {
    int repetitions = Integer.getInteger(REPETITIONS, 1);
    Map<String, Method> index = Layer2Suites.SUITES.planIndex();
    for (int run = 1; run <= repetitions; run++) {
      SuiteRun result = Layer2Suites.SUITES.all().run();

      List<TestResult> tests = result.record().tests();
      assertThat(tests.stream().map(TestResult::planId))
          .as("run %d of %d: every layer-2 certification test has a result (launcher: %s)",
              run, repetitions, SuiteRunner.failures(result.summary()))
          .containsExactlyInAnyOrderElementsOf(index.keySet());
      assertThat(tests)
          .as("run %d of %d (%s s): with the correct driver every layer-2 test passes, or is skipped because"
                  + " the capability profile does not claim what it needs or the test is @Disabled with a"
                  + " known gap; not passed:%n%s",
              run, repetitions, result.took().toSeconds(), result.notPassed())
          .allMatch(test -> passedOrKnownSkip(test, index.get(test.planId())));
      System.out.printf("[selfcert] layer 2, correct driver, run %d of %d: %d tests, %s in %d s%n",
          run, repetitions, tests.size(), result.outcomes(), result.took().toSeconds());
    }
  }

  private static boolean passedOrKnownSkip(TestResult test, Method method) {
    if (test.outcome() == Outcome.PASSED) {
      return true;
    }
    return test.outcome() == Outcome.SKIPPED
        && ((test.reason() != null && test.reason().contains("does not claim"))
            || (method != null && method.isAnnotationPresent(Disabled.class)));
  }
}
