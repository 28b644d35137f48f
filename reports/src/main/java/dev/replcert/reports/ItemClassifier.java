package dev.replcert.reports;

import dev.replcert.harness.record.Outcome;
import dev.replcert.plan.PlanItem;
import java.util.List;
import java.util.Objects;

/** Decides the status of one plan item from the test results carrying its id. */
final class ItemClassifier {

  private ItemClassifier() {}

  static ItemResult classify(PlanItem item, List<ExecutedTest> tests, RunInfo run) {
    List<String> unclaimed = item.capabilities().stream().filter(c -> !run.claims(c)).toList();
    ItemStatus status = status(tests);
    SkipKind kind = null;
    if (status == ItemStatus.SKIPPED) {
      kind = unclaimed.isEmpty() ? SkipKind.ENVIRONMENT : SkipKind.CAPABILITY;
    }
    List<String> reasons =
        tests.stream()
            .filter(
                t ->
                    t.result().outcome() == Outcome.SKIPPED
                        || t.result().outcome() == Outcome.ABORTED)
            .map(t -> t.result().reason())
            .filter(Objects::nonNull)
            .distinct()
            .toList();
    return new ItemResult(item, status, kind, unclaimed, reasons, tests);
  }

  private static ItemStatus status(List<ExecutedTest> tests) {
    if (tests.isEmpty()) {
      return ItemStatus.NOT_IMPLEMENTED;
    }
    if (tests.stream().anyMatch(t -> t.result().outcome() == Outcome.FAILED)) {
      return ItemStatus.FAILED;
    }
    // Only PASSED verifies; a skipped or aborted invocation leaves part of the item unverified.
    if (tests.stream().allMatch(t -> t.result().outcome() == Outcome.PASSED)) {
      return ItemStatus.PASSED;
    }
    return ItemStatus.SKIPPED;
  }
}
