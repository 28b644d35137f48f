package dev.replcert.reports;

import dev.replcert.harness.record.Outcome;
import dev.replcert.plan.PlanItem;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * One row of the report: a plan item and what this run established about it.
 *
 * @param item the plan item
 * @param status passed / failed / skipped / not implemented
 * @param skipKind for SKIPPED items, why; null otherwise
 * @param unclaimedCapabilities the item's capabilities the profile does not claim
 * @param skipReasons the distinct reasons of its skipped and aborted tests, in test order
 * @param tests every test result carrying the item's id (several for parameterised tests)
 */
public record ItemResult(
    PlanItem item,
    ItemStatus status,
    SkipKind skipKind,
    List<String> unclaimedCapabilities,
    List<String> skipReasons,
    List<ExecutedTest> tests) {

  public ItemResult {
    Objects.requireNonNull(item, "item");
    Objects.requireNonNull(status, "status");
    unclaimedCapabilities =
        unclaimedCapabilities == null ? List.of() : List.copyOf(unclaimedCapabilities);
    skipReasons = skipReasons == null ? List.of() : List.copyOf(skipReasons);
    tests = tests == null ? List.of() : List.copyOf(tests);
  }

  public String id() {
    return item.id();
  }

  /** Sum of the durations of the item's tests. */
  public Duration totalDuration() {
    return tests.stream().map(t -> t.result().duration()).reduce(Duration.ZERO, Duration::plus);
  }

  public long count(Outcome outcome) {
    return tests.stream().filter(t -> t.result().outcome() == outcome).count();
  }

  public boolean skippedByEnvironment() {
    return status == ItemStatus.SKIPPED && skipKind == SkipKind.ENVIRONMENT;
  }
}
