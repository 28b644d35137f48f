package dev.replcert.reports;

import static dev.replcert.reports.Fixtures.RUN;
import static dev.replcert.reports.Fixtures.claims;
import static dev.replcert.reports.Fixtures.evaluate;
import static dev.replcert.reports.Fixtures.failed;
import static dev.replcert.reports.Fixtures.item;
import static dev.replcert.reports.Fixtures.named;
import static dev.replcert.reports.Fixtures.passed;
import static dev.replcert.reports.Fixtures.plan;
import static dev.replcert.reports.Fixtures.record;
import static dev.replcert.reports.Fixtures.skipped;
import static dev.replcert.reports.Fixtures.withEvidence;

import dev.replcert.harness.record.Attachment;
import dev.replcert.harness.record.Measurement;
import dev.replcert.plan.Level;
import java.util.List;

/** A report exercising every part of the renderers, with hostile strings where text is free. */
final class SampleReports {

  static final String SCRIPT_NAME = "fails over <script>alert('x')</script> & back";
  static final String ATTACHMENT_TEXT =
      "call 1: Promote(vol-1) -> OK </pre><script>evil()</script>";

  private SampleReports() {}

  static CertificationReport sample() {
    return evaluate(
        plan(
            item("L1-REP-001", Level.MUST, "replication"),
            item("L1-REP-002", Level.SHOULD, "replication"),
            item("L1-VG-001", Level.MUST, "volume-group"),
            item("L2-FO-001", Level.MUST, "replication", "force-promote"),
            item("L3-VM-001", Level.MUST, "vm-workloads")),
        record(
            RUN,
            "layer1-csi",
            claims("replication", "force-promote"),
            passed("L1-REP-001"),
            failed("L1-REP-002"),
            skipped("L1-VG-001", "the profile does not claim volume-group")),
        record(
            RUN,
            "layer2-platform",
            claims("replication", "force-promote"),
            withEvidence(
                named(passed("L2-FO-001"), SCRIPT_NAME),
                List.of(
                    new Measurement("rpo.records", 0, "records"),
                    new Measurement("rto", 4.2071, "s")),
                List.of(new Attachment("grpc-calls.log", "text/plain", ATTACHMENT_TEXT))),
            passed(null)));
  }
}
