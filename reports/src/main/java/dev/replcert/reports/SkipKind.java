package dev.replcert.reports;

/** Why a skipped item was not verified; the two kinds weigh differently in the verdict. */
public enum SkipKind {
  /** The item needs a capability the profile does not claim: expected, not a gap. */
  CAPABILITY("skipped by capability"),
  /** Every capability is claimed, yet the environment could not run it: a verification gap. */
  ENVIRONMENT("skipped by environment");

  private final String label;

  SkipKind(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }
}
