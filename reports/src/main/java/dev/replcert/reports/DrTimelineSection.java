package dev.replcert.reports;

import static dev.replcert.reports.Html.esc;
import static dev.replcert.reports.Markdown.text;

import dev.replcert.harness.record.DrTimelineRecord;
import dev.replcert.harness.record.DrTimelineRecord.Step;
import java.util.List;

/**
 * The "DR timeline" section of report.html and report.md: per DR action a test timed, a summary
 * line (action, clusters, when it was set, RTO, RPO) and one row per step the orchestrator and the
 * application went through, with its offset from the action. Absent when no test attached one.
 */
final class DrTimelineSection {

  private DrTimelineSection() {}

  static void html(StringBuilder h, List<DrTimelineEntry> entries) {
    if (entries.isEmpty()) {
      return;
    }
    h.append("<section id=\"dr-timeline\"><h2>DR timeline</h2>\n<p>Each DR action a test timed: ")
        .append("RTO is action set to the workload writing on the target cluster; RPO is what the")
        .append(" surviving data lacks of what the writers acknowledged.</p>\n");
    for (DrTimelineEntry e : entries) {
      h.append("<h3>").append(esc(Format.orUnknown(e.planId()))).append(": ").append(esc(e.title()))
          .append(" ").append(HtmlItemTable.pill(String.valueOf(e.outcome()))).append("</h3>\n")
          .append("<div class=\"muted\">").append(esc(e.test())).append("</div>\n");
      if (e.timeline() == null) {
        h.append("<p>").append(esc(e.problem())).append("</p>\n");
        continue;
      }
      DrTimelineRecord t = e.timeline();
      h.append("<table class=\"kv\">\n");
      kv(h, "Action set", Format.instant(t.actionSetAt()));
      kv(h, "RTO", e.rto());
      kv(h, "RPO", e.rpo());
      h.append("</table>\n<table><thead><tr><th>Offset</th><th>Time</th><th>Source</th><th>What</th>")
          .append("<th>Value</th></tr></thead><tbody>\n");
      for (Step s : t.steps()) {
        h.append("<tr><td>+").append(esc(Format.number(s.offsetSeconds()))).append(" s</td><td>")
            .append(esc(Format.instant(s.at()))).append("</td><td>").append(esc(s.source()))
            .append("</td><td>").append(esc(s.what())).append("</td><td>").append(esc(s.value()))
            .append("</td></tr>\n");
      }
      h.append("</tbody></table>\n");
    }
    h.append("</section>\n");
  }

  private static void kv(StringBuilder h, String key, String value) {
    h.append("<tr><th>").append(esc(key)).append("</th><td>").append(esc(Format.orUnknown(value)))
        .append("</td></tr>\n");
  }

  static void markdown(StringBuilder md, List<DrTimelineEntry> entries) {
    if (entries.isEmpty()) {
      return;
    }
    md.append("## DR timeline\n\n");
    for (DrTimelineEntry e : entries) {
      md.append("### ").append(text(Format.orUnknown(e.planId()))).append(": ").append(text(e.title()))
          .append(" (").append(e.outcome()).append(")\n\n");
      if (e.timeline() == null) {
        md.append(text(e.problem())).append("\n\n");
        continue;
      }
      md.append("Action set ").append(Format.instant(e.timeline().actionSetAt()))
          .append("; **RTO** ").append(text(e.rto())).append("; **RPO** ").append(text(e.rpo()))
          .append("\n\n");
      MarkdownReportRenderer.header(md, "Offset", "Time", "Source", "What", "Value");
      for (Step s : e.timeline().steps()) {
        MarkdownReportRenderer.row(md, "+" + Format.number(s.offsetSeconds()) + " s", Format.instant(s.at()),
            text(s.source()), text(s.what()), text(s.value()));
      }
      md.append('\n');
    }
  }
}
