package dev.replcert.reports;

/** The verdict for one capability of the profile. */
public enum CapabilityVerdict {
  /** The profile does not claim it: its tests are expected to skip, and nothing is certified. */
  NOT_CLAIMED("NOT CLAIMED"),
  /** Claimed, but no plan item requiring it passed: nothing about it was verified. */
  NOT_ASSESSED("NOT ASSESSED"),
  NOT_CERTIFIED("NOT CERTIFIED"),
  CERTIFIED_WITH_WARNINGS("CERTIFIED WITH WARNINGS"),
  CERTIFIED("CERTIFIED");

  private final String label;

  CapabilityVerdict(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }
}
