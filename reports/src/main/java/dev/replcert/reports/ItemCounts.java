package dev.replcert.reports;

/**
 * Plan items by status. Skipped and not implemented items are never part of {@code passed}.
 *
 * @param planned all plan items
 * @param passed items with status PASSED
 * @param failed items with status FAILED
 * @param skippedByCapability skipped because the profile does not claim a capability they need
 * @param skippedByEnvironment skipped although every capability is claimed
 * @param notImplemented items without any test result in this run
 * @param unplannedTests test results without a (known) plan id
 */
public record ItemCounts(
    int planned,
    int passed,
    int failed,
    int skippedByCapability,
    int skippedByEnvironment,
    int notImplemented,
    int unplannedTests) {

  public int skipped() {
    return skippedByCapability + skippedByEnvironment;
  }
}
