package dev.replcert.harness.selfcert;

import dev.replcert.harness.record.Outcome;
import dev.replcert.harness.record.RunRecord;
import dev.replcert.harness.record.TestResult;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * One {@link SuiteRunner} run: what the suites recorded, and what the launcher saw.
 *
 * @param what which tests ran against which driver, for messages
 */
public record SuiteRun(String what, RunRecord record, TestExecutionSummary summary, Duration took) {

  /** Plan id to outcome, for every recorded test with a plan id. */
  public Map<String, Outcome> outcomes() {
    Map<String, Outcome> outcomes = new TreeMap<>();
    record.tests().stream()
        .filter(t -> t.planId() != null)
        .forEach(t -> outcomes.put(t.planId(), t.outcome()));
    return outcomes;
  }

  public Set<String> withOutcome(Outcome outcome) {
    return record.tests().stream()
        .filter(t -> t.outcome() == outcome && t.planId() != null)
        .map(TestResult::planId)
        .collect(Collectors.toCollection(TreeSet::new));
  }

  public Set<String> failed() {
    return withOutcome(Outcome.FAILED);
  }

  /** One line per test that did not pass: plan id, outcome, reason. */
  public String notPassed() {
    return record.tests().stream()
        .filter(t -> t.outcome() != Outcome.PASSED)
        .map(t -> t.planId() + " " + t.outcome() + ": " + t.reason())
        .collect(Collectors.joining("\n"));
  }

  /** Plan ids of the tests that neither passed nor failed, with their outcome. */
  public Set<String> otherOutcomes() {
    Set<String> other = new TreeSet<>();
    outcomes().forEach((id, outcome) -> {
      if (outcome != Outcome.PASSED && outcome != Outcome.FAILED) {
        other.add(id + " " + outcome);
      }
    });
    return other;
  }
}
