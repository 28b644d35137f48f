package dev.replcert.reports;

import dev.replcert.harness.config.Capability;
import dev.replcert.harness.record.Outcome;
import dev.replcert.plan.Level;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The overall verdict. Fails closed: a failed MUST item, a run that verified nothing, or a run
 * where no replication item passed, is NOT CERTIFIED; anything that leaves a claim unverified or the run's evidence in doubt is a warning.
 * Not implemented items are the harness's gap, not the driver's, and stay out of the verdict.
 */
final class VerdictRules {

  /** Reasons name a handful of unplanned tests, then count the rest. */
  private static final int NAMED_UNPLANNED = 5;

  /** The capability every certification is about. */
  private static final String CORE = Capability.REPLICATION.id();

  private VerdictRules() {}

  static OverallVerdict decide(
      List<ItemResult> items,
      List<CapabilityResult> capabilities,
      List<ExecutedTest> unplanned,
      RunInfo run) {
    List<Finding> findings = new ArrayList<>();
    failedItems(items, findings);
    if (items.stream().noneMatch(i -> i.status() == ItemStatus.PASSED)) {
      findings.add(Finding.blocking(null, nothingVerified(run)));
    }
    mustItemsSkippedByEnvironment(items, findings);
    claimedButUnverified(capabilities, findings);
    if (!unplanned.isEmpty()) {
      findings.add(Finding.warning(null, unplannedSentence(unplanned)));
    }
    run.inconsistencies().forEach(s -> findings.add(Finding.warning(null, s)));

    Verdict verdict = verdictOf(findings);
    if (verdict == Verdict.CERTIFIED) {
      long passed = items.stream().filter(i -> i.status() == ItemStatus.PASSED).count();
      findings.add(
          Finding.info(
              passed
                  + " plan items passed, none failed, and every claimed capability has a passed"
                  + " item."));
    }
    findings.sort(Comparator.comparing(Finding::severity));
    return new OverallVerdict(verdict, findings);
  }

  /** A failed MUST blocks; a failed SHOULD or MAY warns. */
  private static void failedItems(List<ItemResult> items, List<Finding> out) {
    for (ItemResult i : items) {
      if (i.status() != ItemStatus.FAILED) {
        continue;
      }
      String sentence = describe(i) + " failed" + invocations(i) + ".";
      out.add(
          i.item().level() == Level.MUST
              ? Finding.blocking(i.id(), sentence)
              : Finding.warning(i.id(), sentence));
    }
  }

  /** The driver claims what the item needs, yet it was not verified: a gap in the evidence. */
  private static void mustItemsSkippedByEnvironment(List<ItemResult> items, List<Finding> out) {
    for (ItemResult i : items) {
      if (i.skippedByEnvironment() && i.item().level() == Level.MUST) {
        String why =
            i.skipReasons().isEmpty() ? "" : " (" + String.join("; ", i.skipReasons()) + ")";
        out.add(
            Finding.warning(
                i.id(), describe(i) + " was not verified: skipped by the environment" + why + "."));
      }
    }
  }

  private static void claimedButUnverified(List<CapabilityResult> capabilities, List<Finding> out) {
    for (CapabilityResult c : capabilities) {
      if (c.claimed() && c.passed() == 0) {
        String why =
            c.planned() == 0
                ? "the plan has no item for it."
                : "none of its " + c.planned() + " plan items passed.";
        String sentence = "Capability '" + c.capability() + "' is claimed but " + why;
        // replication is what is being certified: a run that never verified it certifies nothing
        out.add(
            CORE.equals(c.capability())
                ? Finding.blocking(c.capability(), sentence)
                : Finding.warning(c.capability(), sentence));
      }
    }
  }

  private static Verdict verdictOf(List<Finding> findings) {
    if (findings.stream().anyMatch(f -> f.severity() == Finding.Severity.BLOCKING)) {
      return Verdict.NOT_CERTIFIED;
    }
    if (findings.stream().anyMatch(f -> f.severity() == Finding.Severity.WARNING)) {
      return Verdict.CERTIFIED_WITH_WARNINGS;
    }
    return Verdict.CERTIFIED;
  }

  private static String describe(ItemResult i) {
    return i.item().level() + " item " + i.id() + " (" + i.item().title() + ")";
  }

  private static String invocations(ItemResult i) {
    int all = i.tests().size();
    return all > 1 ? " in " + i.count(Outcome.FAILED) + " of " + all + " invocations" : "";
  }

  private static String nothingVerified(RunInfo run) {
    if (!run.records().isEmpty()) {
      return "Nothing was verified: no plan item passed.";
    }
    int ignored = run.ignoredRecords().size();
    String aside = ignored == 0 ? "" : " (" + ignored + " records of other runs ignored)";
    return "Nothing was verified: no run record of run " + run.runId() + " was found" + aside + ".";
  }

  private static String unplannedSentence(List<ExecutedTest> unplanned) {
    String named =
        unplanned.stream()
            .limit(NAMED_UNPLANNED)
            .map(VerdictRules::unplannedName)
            .collect(Collectors.joining(", "));
    int more = unplanned.size() - NAMED_UNPLANNED;
    boolean one = unplanned.size() == 1;
    return unplanned.size()
        + (one
            ? " test is not in the plan, so no verdict covers it: "
            : " tests are not in the plan, so no verdict covers them: ")
        + named
        + (more > 0 ? " and " + more + " more" : "")
        + ".";
  }

  private static String unplannedName(ExecutedTest t) {
    String planId = t.result().planId();
    return t.result().testId() + (planId == null ? " (no plan id)" : " (plan id " + planId + ")");
  }
}
