package dev.replcert.reports;

import static dev.replcert.reports.Html.esc;

import dev.replcert.harness.record.Attachment;
import dev.replcert.harness.record.Measurement;
import dev.replcert.harness.record.TestResult;
import java.util.List;

/** One layer's plan items as an HTML table, each test's details folded in a details block. */
final class HtmlItemTable {

  private HtmlItemTable() {}

  static void append(StringBuilder h, int layer, List<ItemResult> items) {
    h.append("<h3 id=\"layer-")
        .append(layer)
        .append("\">")
        .append(esc(Format.layerName(layer)))
        .append("</h3>\n");
    h.append(
            "<table"
                + " class=\"items\"><thead><tr><th>ID</th><th>Level</th><th>Title</th><th>Capabilities</th>")
        .append("<th>Status</th><th>Evidence</th><th>Tests and details</th></tr></thead><tbody>\n");
    for (ItemResult i : items) {
      row(h, i);
    }
    h.append("</tbody></table>\n");
  }

  private static void row(StringBuilder h, ItemResult i) {
    String status = i.status().label();
    h.append("<tr class=\"")
        .append(Html.cssClass(status))
        .append("\" id=\"item-")
        .append(esc(i.id()))
        .append("\">")
        .append("<td><code>")
        .append(esc(i.id()))
        .append("</code></td>")
        .append("<td>")
        .append(i.item().level())
        .append("</td>")
        .append("<td>")
        .append(esc(i.item().title()))
        .append("<div class=\"muted\">")
        .append(esc(i.item().source()))
        .append("</div></td>")
        .append("<td>")
        .append(esc(String.join(", ", i.item().capabilities())))
        .append("</td>")
        .append("<td>")
        .append(pill(status));
    if (i.skipKind() != null) {
      h.append("<div class=\"muted\">").append(esc(i.skipKind().label())).append("</div>");
    }
    h.append("</td><td>");
    evidence(h, i);
    h.append("</td><td>");
    notes(h, i);
    h.append("</td></tr>\n");
  }

  static String pill(String label) {
    return "<span class=\"pill " + Html.cssClass(label) + "\">" + esc(label) + "</span>";
  }

  private static void evidence(StringBuilder h, ItemResult i) {
    if (i.tests().stream().allMatch(t -> t.result().evidence().isEmpty())) {
      return;
    }
    boolean several = i.tests().size() > 1;
    h.append("<ul>");
    for (ExecutedTest t : i.tests()) {
      for (Measurement m : t.result().evidence()) {
        h.append("<li>").append(esc(Format.measurement(m)));
        if (several) {
          h.append(" <span class=\"muted\">(")
              .append(esc(t.result().displayName()))
              .append(")</span>");
        }
        h.append("</li>");
      }
    }
    h.append("</ul>");
  }

  private static void notes(StringBuilder h, ItemResult i) {
    if (i.tests().isEmpty()) {
      h.append("<span class=\"muted\">no test in this run</span>");
      return;
    }
    if (i.skipKind() == SkipKind.CAPABILITY) {
      h.append("<div>not claimed: ")
          .append(esc(String.join(", ", i.unclaimedCapabilities())))
          .append("</div>");
    }
    for (String reason : i.skipReasons()) {
      h.append("<div>").append(esc(reason)).append("</div>");
    }
    for (ExecutedTest t : i.tests()) {
      if (t.result().outcome() == dev.replcert.harness.record.Outcome.FAILED) {
        h.append("<pre class=\"failure\">")
            .append(esc(orNoMessage(t.result().reason())))
            .append("</pre>");
      }
    }
    h.append("<details><summary>")
        .append(i.tests().size())
        .append(i.tests().size() == 1 ? " test, " : " tests, ")
        .append(esc(Format.duration(i.totalDuration())))
        .append("</summary>");
    for (ExecutedTest t : i.tests()) {
      test(h, t);
    }
    h.append("</details>");
  }

  private static void test(StringBuilder h, ExecutedTest t) {
    TestResult r = t.result();
    h.append("<div class=\"test\">")
        .append(pill(r.outcome() == null ? "UNKNOWN" : r.outcome().name()))
        .append(" ")
        .append(esc(r.displayName()))
        .append("<div class=\"muted\"><code>")
        .append(esc(r.testId()))
        .append("</code> in ")
        .append(esc(t.module()))
        .append(", ")
        .append(esc(Format.duration(r.duration())))
        .append(", started ")
        .append(esc(r.startedAt() == null ? "never" : r.startedAt().toString()))
        .append("</div>");
    if (r.reason() != null) {
      h.append("<pre>").append(esc(r.reason())).append("</pre>");
    }
    for (Attachment a : r.attachments()) {
      h.append("<details><summary>")
          .append(esc(a.name()))
          .append(" <span class=\"muted\">(")
          .append(esc(a.mediaType()))
          .append(", ")
          .append(esc(Format.size(a.content())))
          .append(")</span></summary><pre>")
          .append(esc(a.content()))
          .append("</pre></details>");
    }
    h.append("</div>");
  }

  private static String orNoMessage(String s) {
    return s == null ? "(no message)" : s;
  }
}
