package dev.replcert.reports;

/** The overall certification verdict of one run. */
public enum Verdict {
  CERTIFIED("CERTIFIED"),
  CERTIFIED_WITH_WARNINGS("CERTIFIED WITH WARNINGS"),
  NOT_CERTIFIED("NOT CERTIFIED");

  private final String label;

  Verdict(String label) {
    this.label = label;
  }

  /** How reviewers read it: spaces, not underscores. */
  public String label() {
    return label;
  }
}
