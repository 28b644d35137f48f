package dev.replcert.reports;

import static dev.replcert.reports.Markdown.text;
import static dev.replcert.reports.MarkdownReportRenderer.header;
import static dev.replcert.reports.MarkdownReportRenderer.row;

import dev.replcert.harness.record.Attachment;
import dev.replcert.harness.record.Outcome;
import dev.replcert.harness.record.TestResult;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** The plan item tables of report.md (one per layer), their failures and unplanned tests. */
final class MarkdownItemTables {

  private MarkdownItemTables() {}

  static void items(StringBuilder md, CertificationReport r) {
    md.append("## Plan items\n\n").append(text(Format.counts(r.counts()))).append(".\n\n");
    List<Integer> layers =
        r.items().stream().map(i -> i.item().layer()).distinct().sorted().toList();
    for (int layer : layers) {
      md.append("### ").append(text(Format.layerName(layer))).append("\n\n");
      header(md, "ID", "Level", "Title", "Status", "Tests", "Evidence", "Notes");
      r.items().stream().filter(i -> i.item().layer() == layer).forEach(i -> itemRow(md, i));
      md.append('\n');
    }
  }

  private static void itemRow(StringBuilder md, ItemResult i) {
    String status = "**" + i.status().label() + "**";
    if (i.skipKind() != null) {
      status += " (" + i.skipKind().label() + ")";
    }
    String tests =
        i.tests().isEmpty()
            ? ""
            : i.tests().size() + " (" + Format.duration(i.totalDuration()) + ")";
    String evidence =
        i.tests().stream()
            .flatMap(t -> t.result().evidence().stream())
            .map(m -> text(Format.measurement(m)))
            .collect(Collectors.joining("<br>"));
    row(
        md,
        text(i.id()),
        i.item().level().name(),
        text(i.item().title()),
        status,
        tests,
        evidence,
        String.join("<br>", notes(i)));
  }

  private static List<String> notes(ItemResult i) {
    List<String> notes = new ArrayList<>();
    if (i.skipKind() == SkipKind.CAPABILITY) {
      notes.add("not claimed: " + text(String.join(", ", i.unclaimedCapabilities())));
    }
    i.skipReasons().forEach(s -> notes.add(text(s)));
    for (ExecutedTest t : i.tests()) {
      TestResult tr = t.result();
      if (tr.outcome() == Outcome.FAILED) {
        notes.add("failed: " + text(firstLine(tr.reason())));
      }
      for (Attachment a : tr.attachments()) {
        notes.add(
            "attachment "
                + text(a.name())
                + " ("
                + text(a.mediaType())
                + ", "
                + Format.size(a.content())
                + ", in report.html)");
      }
    }
    return notes;
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "(no message)";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl) + " …";
  }

  /** Full failure messages, fenced, below the tables so the tables stay one line per item. */
  static void failures(StringBuilder md, CertificationReport r) {
    List<ItemResult> failed =
        r.items().stream().filter(i -> i.status() == ItemStatus.FAILED).toList();
    if (failed.isEmpty()) {
      return;
    }
    md.append("### Failures\n\n");
    for (ItemResult i : failed) {
      md.append("#### ").append(text(i.id())).append(": ").append(text(i.item().title()));
      md.append("\n\n");
      for (ExecutedTest t : i.tests()) {
        TestResult tr = t.result();
        if (tr.outcome() == Outcome.FAILED) {
          md.append(text(tr.displayName())).append(" (").append(text(tr.testId())).append(")\n\n");
          md.append(Markdown.codeBlock("text", tr.reason() == null ? "(no message)" : tr.reason()));
          md.append('\n');
        }
      }
    }
  }

  static void unplanned(StringBuilder md, CertificationReport r) {
    if (r.unplannedTests().isEmpty()) {
      return;
    }
    md.append("## Unplanned tests\n\nThese tests carry no plan id, or one the plan does not have;")
        .append(" no verdict covers them.\n\n");
    header(md, "Test", "Plan id", "Module", "Outcome");
    for (ExecutedTest t : r.unplannedTests()) {
      row(
          md,
          text(t.result().testId()),
          text(Format.orUnknown(t.result().planId())),
          text(t.module()),
          String.valueOf(t.result().outcome()));
    }
    md.append('\n');
  }
}
