package dev.replcert.harness.record;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The result of one certification test method.
 *
 * @param planId the {@code @PlanItem} id, or null for a test without one (the coverage check
 *     forbids that for certification suites)
 * @param testId stable id: fully qualified class name + "#" + method name (+ invocation)
 * @param displayName what JUnit displayed
 * @param outcome passed / failed / skipped / aborted
 * @param reason skip or abort reason, or the failure message (secrets redacted); null when passed
 * @param startedAt when the test started (null if it never started, i.e. skipped)
 * @param duration how long it ran (zero if skipped)
 * @param evidence measurements recorded by the test
 * @param attachments text attachments recorded by the test
 */
public record TestResult(
    String planId,
    String testId,
    String displayName,
    Outcome outcome,
    String reason,
    Instant startedAt,
    Duration duration,
    List<Measurement> evidence,
    List<Attachment> attachments) {

  public TestResult {
    evidence = evidence == null ? List.of() : List.copyOf(evidence);
    attachments = attachments == null ? List.of() : List.copyOf(attachments);
    duration = duration == null ? Duration.ZERO : duration;
  }
}
