package dev.replcert.reports;

import dev.replcert.harness.config.Capability;
import dev.replcert.plan.Level;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** The capability matrix: one verdict per capability the harness knows. */
final class CapabilityVerdicts {

  private CapabilityVerdicts() {}

  static List<CapabilityResult> evaluate(List<ItemResult> items, RunInfo run) {
    return Arrays.stream(Capability.values()).map(c -> evaluate(c, items, run)).toList();
  }

  private static CapabilityResult evaluate(
      Capability capability, List<ItemResult> all, RunInfo run) {
    List<ItemResult> items =
        all.stream().filter(i -> i.item().capabilities().contains(capability.id())).toList();
    boolean claimed = run.claims(capability.id());
    List<String> reasons = new ArrayList<>();
    CapabilityVerdict verdict;
    if (!claimed) {
      verdict = CapabilityVerdict.NOT_CLAIMED;
      reasons.add("The capability profile does not claim it.");
    } else {
      verdict = verdictOfClaimed(items, reasons);
    }
    return new CapabilityResult(
        capability.id(),
        capability.description(),
        claimed,
        items.size(),
        count(items, ItemStatus.PASSED),
        count(items, ItemStatus.FAILED),
        count(items, ItemStatus.SKIPPED),
        count(items, ItemStatus.NOT_IMPLEMENTED),
        verdict,
        reasons);
  }

  /**
   * A failed MUST item decides first. Then "nothing passed" comes before warnings: a capability
   * whose only evidence is a skipped or failed optional item has not been verified at all, and
   * calling it certified (with warnings) would certify nothing.
   */
  private static CapabilityVerdict verdictOfClaimed(List<ItemResult> items, List<String> reasons) {
    for (ItemResult i : items) {
      if (i.status() == ItemStatus.FAILED && i.item().level() == Level.MUST) {
        reasons.add("MUST item " + i.id() + " failed.");
      }
    }
    if (!reasons.isEmpty()) {
      return CapabilityVerdict.NOT_CERTIFIED;
    }
    for (ItemResult i : items) {
      if (i.status() == ItemStatus.FAILED) {
        reasons.add(i.item().level() + " item " + i.id() + " failed.");
      } else if (i.skippedByEnvironment() && i.item().level() == Level.MUST) {
        reasons.add("MUST item " + i.id() + " was skipped by the environment.");
      }
    }
    if (count(items, ItemStatus.PASSED) == 0) {
      reasons.add(
          0,
          items.isEmpty()
              ? "Claimed, but the plan has no item for it."
              : "Claimed, but none of its " + items.size() + " plan items passed.");
      return CapabilityVerdict.NOT_ASSESSED;
    }
    if (!reasons.isEmpty()) {
      return CapabilityVerdict.CERTIFIED_WITH_WARNINGS;
    }
    reasons.add(
        count(items, ItemStatus.PASSED)
            + " of its "
            + items.size()
            + " plan items passed; none failed.");
    return CapabilityVerdict.CERTIFIED;
  }

  private static int count(List<ItemResult> items, ItemStatus status) {
    return (int) items.stream().filter(i -> i.status() == status).count();
  }
}
