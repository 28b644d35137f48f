package dev.replcert.reports;

/** What the run established about one plan item. */
public enum ItemStatus {
  /** Every test result of the item passed, and there was at least one. */
  PASSED,
  /** At least one test result of the item failed. */
  FAILED,
  /**
   * Nothing failed, but not every test result passed: skipped or aborted (an item is passed only
   * when every invocation passed, so a partly skipped item is skipped).
   */
  SKIPPED,
  /** No test of this run carries the item's id: the harness has no test for it (yet). */
  NOT_IMPLEMENTED;

  public String label() {
    return name().replace('_', ' ');
  }
}
