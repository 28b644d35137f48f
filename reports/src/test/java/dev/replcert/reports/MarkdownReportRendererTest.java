package dev.replcert.reports;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MarkdownReportRendererTest {

  private final String md = new MarkdownReportRenderer().render(SampleReports.sample());

  @Test
  void hasTheVerdictLine() {
    assertThat(md.lines()).contains("**Verdict: CERTIFIED WITH WARNINGS**");
  }

  @Test
  void tableCellsCannotBeBrokenByTheirText() {
    String rows =
        new MarkdownReportRenderer()
            .render(
                Fixtures.evaluate(
                    Fixtures.plan(
                        Fixtures.item("L1-REP-001", dev.replcert.plan.Level.MUST, "replication")),
                    Fixtures.record(
                        Fixtures.RUN,
                        "m",
                        Fixtures.claims("replication"),
                        Fixtures.skipped("L1-REP-001", "a | b\nline <two>"))));
    assertThat(rows).contains("a \\| b<br>line &lt;two&gt;");
  }

  @Test
  void namesAttachmentsButLeavesTheirContentToTheHtml() {
    assertThat(md).contains("attachment grpc-calls.log").doesNotContain("Promote(vol-1)");
  }

  @Test
  void showsCoverageApartFromTheVerdict() {
    assertThat(md)
        .contains("## Harness coverage (not part of the verdict)")
        .contains("**harness coverage: 4 of 5 plan items implemented**");
  }

  @Test
  void fencesFailureMessagesAndConfig() {
    assertThat(md)
        .contains("```text\nexpected data on west, found gap at record 42\n```")
        .contains("\"secretKey\" : \"<redacted>\"");
  }
}
