package dev.replcert.reports;

import dev.replcert.plan.PlanItem;
import dev.replcert.plan.TestPlan;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Turns a plan and the merged run records of one run into the certification report. Pure: no files,
 * no clock, so every verdict rule is unit-testable.
 */
public final class Evaluator {

  private Evaluator() {}

  /** Convenience for callers holding the raw records: merges, then evaluates. */
  public static CertificationReport evaluate(
      TestPlan plan, String runId, List<LoadedRecord> records, Instant generatedAt) {
    return evaluate(plan, RunMerger.merge(runId, records), generatedAt);
  }

  public static CertificationReport evaluate(TestPlan plan, MergedRun run, Instant generatedAt) {
    PlanCheck.requireValid(plan);
    Set<String> planIds = plan.items().stream().map(PlanItem::id).collect(Collectors.toSet());
    Map<String, List<ExecutedTest>> byPlanId = new LinkedHashMap<>();
    List<ExecutedTest> unplanned = new ArrayList<>();
    for (ExecutedTest t : run.tests()) {
      String planId = t.result().planId();
      if (planId != null && planIds.contains(planId)) {
        byPlanId.computeIfAbsent(planId, k -> new ArrayList<>()).add(t);
      } else {
        unplanned.add(t);
      }
    }

    List<ItemResult> items =
        plan.items().stream()
            .map(
                i ->
                    ItemClassifier.classify(
                        i, byPlanId.getOrDefault(i.id(), List.of()), run.info()))
            .toList();
    List<CapabilityResult> capabilities = CapabilityVerdicts.evaluate(items, run.info());
    OverallVerdict verdict = VerdictRules.decide(items, capabilities, unplanned, run.info());
    return new CertificationReport(
        CertificationReport.SCHEMA,
        generatedAt,
        plan.version(),
        run.info(),
        verdict,
        capabilities,
        counts(items, unplanned),
        coverage(items),
        items,
        unplanned,
        DrTimelineEntry.collect(run.tests()));
  }

  private static ItemCounts counts(List<ItemResult> items, List<ExecutedTest> unplanned) {
    return new ItemCounts(
        items.size(),
        count(items, ItemStatus.PASSED),
        count(items, ItemStatus.FAILED),
        (int) items.stream().filter(i -> i.skipKind() == SkipKind.CAPABILITY).count(),
        (int) items.stream().filter(ItemResult::skippedByEnvironment).count(),
        count(items, ItemStatus.NOT_IMPLEMENTED),
        unplanned.size());
  }

  /** Implemented = the run holds at least one test result for the item, whatever its outcome. */
  private static Coverage coverage(List<ItemResult> items) {
    Map<Integer, int[]> perLayer = new TreeMap<>();
    for (ItemResult i : items) {
      int[] c = perLayer.computeIfAbsent(i.item().layer(), l -> new int[2]);
      c[1]++;
      if (i.status() != ItemStatus.NOT_IMPLEMENTED) {
        c[0]++;
      }
    }
    List<Coverage.Layer> layers =
        perLayer.entrySet().stream()
            .map(e -> new Coverage.Layer(e.getKey(), e.getValue()[0], e.getValue()[1]))
            .toList();
    int implemented = layers.stream().mapToInt(Coverage.Layer::implemented).sum();
    return new Coverage(implemented, items.size(), layers);
  }

  private static int count(List<ItemResult> items, ItemStatus status) {
    return (int) items.stream().filter(i -> i.status() == status).count();
  }
}
