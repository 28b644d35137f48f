package dev.replcert.reports;

import java.util.Objects;

/**
 * One reason behind a verdict, as a sentence a reviewer can read without the code.
 *
 * @param severity how it weighs: any BLOCKING finding means NOT CERTIFIED, any WARNING means
 *     CERTIFIED WITH WARNINGS
 * @param subject the plan item id or capability id it is about, or null for the run as a whole
 * @param message the sentence
 */
public record Finding(Severity severity, String subject, String message) {

  public enum Severity {
    BLOCKING,
    WARNING,
    /** Says why a clean run is certified; never changes the verdict. */
    INFO
  }

  public Finding {
    Objects.requireNonNull(severity, "severity");
    Objects.requireNonNull(message, "message");
  }

  static Finding blocking(String subject, String message) {
    return new Finding(Severity.BLOCKING, subject, message);
  }

  static Finding warning(String subject, String message) {
    return new Finding(Severity.WARNING, subject, message);
  }

  static Finding info(String message) {
    return new Finding(Severity.INFO, null, message);
  }
}
