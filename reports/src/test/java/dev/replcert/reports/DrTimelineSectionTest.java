package dev.replcert.reports;

import static dev.replcert.reports.Fixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;

import dev.replcert.harness.record.Attachment;
import dev.replcert.harness.record.DrTimelineRecord;
import dev.replcert.harness.record.DrTimelineRecord.Step;
import dev.replcert.harness.record.Measurement;
import dev.replcert.harness.record.Outcome;
import dev.replcert.plan.Level;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The "DR timeline" section, from a synthetic run whose failover test attached a timeline. */
class DrTimelineSectionTest {

  private static final DrTimelineRecord FAILOVER = new DrTimelineRecord(
      "rc-l2-fo-001-x1/app", "Failover", "east", "west", T0,
      List.of(
          new Step(T0, 0, "user", "action", "Failover to west"),
          new Step(T0.plusMillis(400), 0.4, "drpc", "phase", "FailingOver"),
          new Step(T0.plusMillis(1200), 1.2, "drpc", "progression", "WaitingForResourceRestore"),
          new Step(T0.plusMillis(3100), 3.1, "vrg/west", "state", "Primary"),
          new Step(T0.plusMillis(5250), 5.25, "app/west", "workload", "ready <writers> & progressing")),
      5.25, 12L, 0.24);

  private final CertificationReport report = Fixtures.evaluate(
      Fixtures.plan(Fixtures.item("L2-FO-001", Level.MUST, "replication"),
          Fixtures.item("L2-REL-001", Level.MUST, "replication")),
      Fixtures.record(Fixtures.RUN, "replcert-layer2-platform", Fixtures.claims("replication"),
          Fixtures.withEvidence(Fixtures.passed("L2-FO-001"), List.of(new Measurement("rto.seconds", 5.25, "s")),
              List.of(new Attachment(DrTimelineRecord.ATTACHMENT, DrTimelineRecord.MEDIA_TYPE, FAILOVER.toJson()))),
          Fixtures.withEvidence(Fixtures.failed("L2-REL-001"), List.of(),
              List.of(new Attachment(DrTimelineRecord.ATTACHMENT, DrTimelineRecord.MEDIA_TYPE, "{not json")))));

  @Test
  void collectsEveryAttachedTimelineAndSaysWhyOneCannotBeRead() {
    assertThat(report.drTimelines()).hasSize(2);
    assertThat(report.drTimelines().get(0).timeline()).isEqualTo(FAILOVER);
    assertThat(report.drTimelines().get(1).timeline()).isNull();
    assertThat(report.drTimelines().get(1).problem()).startsWith("not a DR timeline");
  }

  @Test
  void htmlShowsRtoRpoAndEveryStepWithItsOffset() {
    String html = new HtmlReportRenderer().render(report);
    assertThat(html)
        .contains("<section id=\"dr-timeline\"><h2>DR timeline</h2>")
        .contains("L2-FO-001: Failover east \u2192 west (rc-l2-fo-001-x1/app)")
        .contains("<th>RTO</th><td>5.25 s</td>")
        .contains("<th>RPO</th><td>12 records, 0.24 s</td>")
        .contains("<tr><td>+3.1 s</td><td>2026-01-01T12:00:03.100Z</td><td>vrg/west</td><td>state</td>"
            + "<td>Primary</td></tr>")
        .contains("ready &lt;writers&gt; &amp; progressing")
        .contains("not a DR timeline");
  }

  @Test
  void markdownShowsTheSameTable() {
    String md = new MarkdownReportRenderer().render(report);
    assertThat(md)
        .contains("## DR timeline")
        .contains("### L2-FO-001: Failover east \u2192 west (rc-l2-fo-001-x1/app) (PASSED)")
        .contains("**RTO** 5.25 s; **RPO** 12 records, 0.24 s")
        .contains("| +1.2 s | 2026-01-01T12:00:01.200Z | drpc | progression | WaitingForResourceRestore |");
  }

  @Test
  void jsonCarriesTheTimelinesAndReadsBack() throws Exception {
    String json = new JsonReportRenderer().render(report);
    assertThat(JsonReportRenderer.mapper().readTree(json).at("/drTimelines/0/timeline/rtoSeconds").asDouble())
        .isEqualTo(5.25);
    assertThat(JsonReportRenderer.mapper().readValue(json, CertificationReport.class)).isEqualTo(report);
  }

  @Test
  void noSectionWithoutTimelines() {
    assertThat(new HtmlReportRenderer().render(SampleReports.sample())).doesNotContain("id=\"dr-timeline\"");
  }
}
