package dev.replcert.plan;

/** How binding a plan item is for certification (RFC 2119 words). */
public enum Level {
  /** A failure means NOT CERTIFIED. */
  MUST,
  /** A failure gives CERTIFIED WITH WARNINGS. */
  SHOULD,
  /** Optional behaviour; a failure gives a warning. */
  MAY
}
