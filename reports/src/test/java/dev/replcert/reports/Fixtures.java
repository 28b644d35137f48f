package dev.replcert.reports;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.replcert.harness.record.Attachment;
import dev.replcert.harness.record.DriverIdentity;
import dev.replcert.harness.record.Measurement;
import dev.replcert.harness.record.Outcome;
import dev.replcert.harness.record.RunRecord;
import dev.replcert.harness.record.TestResult;
import dev.replcert.plan.Level;
import dev.replcert.plan.PlanItem;
import dev.replcert.plan.TestPlan;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Plans, test results and run records for the tests, built the way the harness writes them. */
final class Fixtures {

  static final String RUN = "20260101T120000Z";
  static final Instant T0 = Instant.parse("2026-01-01T12:00:00Z");

  private Fixtures() {}

  /** A plan item; layer and area come from the id, as in plan.yaml (L2-FO-001). */
  static PlanItem item(String id, Level level, String... capabilities) {
    String[] parts = id.split("-");
    return new PlanItem(
        id,
        "title of " + id,
        Integer.parseInt(parts[0].substring(1)),
        parts[1],
        "replcert",
        level,
        List.of(capabilities),
        "steps of " + id);
  }

  static TestPlan plan(PlanItem... items) {
    return new TestPlan("test-plan-1", List.of(items));
  }

  static TestResult result(String planId, Outcome outcome, String reason) {
    String testId = "dev.replcert.suite.Suite#" + planId + "_" + outcome.name().toLowerCase();
    boolean ran =
        outcome == Outcome.PASSED || outcome == Outcome.FAILED || outcome == Outcome.ABORTED;
    return new TestResult(
        planId,
        testId,
        "checks " + planId,
        outcome,
        reason,
        ran ? T0 : null,
        ran ? Duration.ofMillis(1500) : Duration.ZERO,
        List.of(),
        List.of());
  }

  static TestResult passed(String planId) {
    return result(planId, Outcome.PASSED, null);
  }

  static TestResult failed(String planId) {
    return result(planId, Outcome.FAILED, "expected data on west, found gap at record 42");
  }

  static TestResult skipped(String planId, String reason) {
    return result(planId, Outcome.SKIPPED, reason);
  }

  static TestResult aborted(String planId, String reason) {
    return result(planId, Outcome.ABORTED, reason);
  }

  /** The same result under another invocation name, for parameterised tests. */
  static TestResult invocation(TestResult r, String suffix) {
    return new TestResult(
        r.planId(),
        r.testId() + "[" + suffix + "]",
        r.displayName() + " [" + suffix + "]",
        r.outcome(),
        r.reason(),
        r.startedAt(),
        r.duration(),
        r.evidence(),
        r.attachments());
  }

  static TestResult withEvidence(
      TestResult r, List<Measurement> evidence, List<Attachment> attachments) {
    return new TestResult(
        r.planId(),
        r.testId(),
        r.displayName(),
        r.outcome(),
        r.reason(),
        r.startedAt(),
        r.duration(),
        evidence,
        attachments);
  }

  static TestResult named(TestResult r, String displayName) {
    return new TestResult(
        r.planId(),
        r.testId(),
        displayName,
        r.outcome(),
        r.reason(),
        r.startedAt(),
        r.duration(),
        r.evidence(),
        r.attachments());
  }

  static Map<String, Boolean> claims(String... ids) {
    Map<String, Boolean> m = new LinkedHashMap<>();
    Arrays.stream(ids).forEach(id -> m.put(id, true));
    return m;
  }

  static ObjectNode config() {
    ObjectNode c = JsonNodeFactory.instance.objectNode();
    c.put("mode", "lab");
    c.putObject("s3").put("accessKey", "<redacted>").put("secretKey", "<redacted>");
    return c;
  }

  static RunRecord record(
      String runId, String module, Map<String, Boolean> caps, TestResult... tests) {
    return new RunRecord(
        RunRecord.SCHEMA,
        runId,
        module,
        "0.1.0-SNAPSHOT",
        "lab",
        new DriverIdentity(
            "reference.replcert.dev", "reference.replcert.dev", "0.1.0", Map.of("site", "east")),
        caps,
        config(),
        T0,
        T0.plusSeconds(60),
        List.of(tests));
  }

  static LoadedRecord loaded(RunRecord r) {
    return new LoadedRecord(
        r.module() + "/target/certification/run-record.json", "0".repeat(64), r);
  }

  static CertificationReport evaluate(TestPlan plan, RunRecord... records) {
    return Evaluator.evaluate(
        plan, RUN, Arrays.stream(records).map(Fixtures::loaded).toList(), T0.plusSeconds(120));
  }

  static ItemResult itemOf(CertificationReport r, String id) {
    return r.items().stream().filter(i -> i.id().equals(id)).findFirst().orElseThrow();
  }

  static CapabilityResult capabilityOf(CertificationReport r, String id) {
    return r.capabilities().stream()
        .filter(c -> c.capability().equals(id))
        .findFirst()
        .orElseThrow();
  }

  static List<String> messages(CertificationReport r, Finding.Severity severity) {
    return r.verdict().reasons().stream()
        .filter(f -> f.severity() == severity)
        .map(Finding::message)
        .toList();
  }
}
