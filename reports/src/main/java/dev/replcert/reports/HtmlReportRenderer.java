package dev.replcert.reports;

import static dev.replcert.reports.Html.esc;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.replcert.harness.record.DriverIdentity;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * report.html: one self-contained page a reviewer opens offline. No scripts are needed; folded
 * content uses details blocks. Every dynamic string is escaped with {@link Html#esc}.
 */
public final class HtmlReportRenderer implements ReportRenderer {

  @Override
  public String fileName() {
    return "report.html";
  }

  @Override
  public String render(CertificationReport r) {
    StringBuilder h = new StringBuilder(64 * 1024);
    String verdict = r.verdict().verdict().label();
    String driver = Format.driverName(r.run().driver());
    h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
        .append("<title>")
        .append(esc("replcert: " + driver + ": " + verdict))
        .append("</title>\n")
        .append("<style>\n")
        .append(HtmlStyle.CSS)
        .append("</style>\n</head>\n<body>\n");
    banner(h, r, verdict, driver);
    h.append("<main>\n");
    driver(h, r);
    capabilities(h, r);
    items(h, r);
    DrTimelineSection.html(h, r.drTimelines());
    unplanned(h, r);
    coverage(h, r.coverage());
    records(h, r.run());
    config(h, r.run());
    h.append("</main>\n<footer>Generated ")
        .append(esc(Format.instant(r.generatedAt())))
        .append(" by replcert ")
        .append(esc(Format.orUnknown(r.run().harnessVersion())))
        .append(" from test plan ")
        .append(esc(Format.orUnknown(r.planVersion())))
        .append(". The same content is in report.json and report.md.</footer>\n</body>\n</html>\n");
    return h.toString();
  }

  private static void banner(
      StringBuilder h, CertificationReport r, String verdict, String driver) {
    h.append("<header class=\"banner ")
        .append(Html.cssClass(verdict))
        .append("\">\n<h1>")
        .append(esc(verdict))
        .append("</h1>\n<div class=\"who\">")
        .append(esc(driver))
        .append(" &middot; mode ")
        .append(esc(Format.orUnknown(r.run().mode())))
        .append(" &middot; run ")
        .append(esc(r.run().runId()))
        .append("</div>\n<ul>\n");
    for (Finding f : r.verdict().reasons()) {
      h.append("<li>")
          .append(esc(f.severity().name().toLowerCase(java.util.Locale.ROOT)))
          .append(": ")
          .append(esc(f.message()))
          .append("</li>\n");
    }
    h.append("</ul>\n</header>\n");
  }

  private static void driver(StringBuilder h, CertificationReport r) {
    RunInfo run = r.run();
    DriverIdentity d = run.driver();
    h.append("<section id=\"driver\"><h2>Driver under test</h2>\n<table class=\"kv\">\n");
    kv(h, "Configured name", d == null ? null : d.configuredName());
    kv(h, "Reported name (csi-addons Identity)", d == null ? null : d.reportedName());
    kv(h, "Vendor version", d == null ? null : d.vendorVersion());
    if (d != null) {
      d.manifest().entrySet().stream()
          .sorted(Map.Entry.comparingByKey())
          .forEach(e -> kv(h, "Manifest: " + e.getKey(), e.getValue()));
    }
    kv(h, "Mode", run.mode());
    kv(h, "Run id", run.runId());
    kv(h, "Harness version", run.harnessVersion());
    kv(h, "Test plan version", r.planVersion());
    kv(h, "Started", Format.instant(run.startedAt()));
    kv(h, "Finished", Format.instant(run.finishedAt()));
    kv(
        h,
        "Modules",
        run.records().stream().map(RecordSource::module).collect(Collectors.joining(", ")));
    h.append("</table></section>\n");
  }

  private static void kv(StringBuilder h, String key, String value) {
    h.append("<tr><th>")
        .append(esc(key))
        .append("</th><td>")
        .append(esc(Format.orUnknown(value)))
        .append("</td></tr>\n");
  }

  private static void capabilities(StringBuilder h, CertificationReport r) {
    h.append("<section id=\"capabilities\"><h2>Capability matrix</h2>\n<table><thead><tr>")
        .append(
            "<th>Capability</th><th>Declared</th><th>Tested (plan"
                + " items)</th><th>Verdict</th><th>Why</th>")
        .append("</tr></thead><tbody>\n");
    for (CapabilityResult c : r.capabilities()) {
      h.append("<tr><td><code>")
          .append(esc(c.capability()))
          .append("</code><div class=\"muted\">")
          .append(esc(c.description()))
          .append("</div></td><td>")
          .append(c.claimed() ? "claimed" : "not claimed")
          .append("</td><td>")
          .append(esc(Format.tested(c)))
          .append("</td><td>")
          .append(HtmlItemTable.pill(c.verdict().label()))
          .append("</td><td>")
          .append(esc(String.join(" ", c.reasons())))
          .append("</td></tr>\n");
    }
    h.append("</tbody></table></section>\n");
  }

  private static void items(StringBuilder h, CertificationReport r) {
    h.append("<section id=\"items\"><h2>Plan items</h2>\n<p>")
        .append(esc(Format.counts(r.counts())))
        .append(". Skipped and not implemented items never count as passed.</p>\n");
    r.items().stream()
        .map(i -> i.item().layer())
        .distinct()
        .sorted()
        .forEach(
            layer ->
                HtmlItemTable.append(
                    h, layer, r.items().stream().filter(i -> i.item().layer() == layer).toList()));
    h.append("</section>\n");
  }

  private static void unplanned(StringBuilder h, CertificationReport r) {
    if (r.unplannedTests().isEmpty()) {
      return;
    }
    h.append(
            "<section id=\"unplanned\"><h2>Unplanned tests</h2>\n"
                + "<p>These tests carry no plan id, or one ")
        .append(
            "the plan does not have; no verdict covers them.</p>\n<table><thead><tr><th>Test</th>")
        .append(
            "<th>Plan"
                + " id</th><th>Module</th><th>Outcome</th><th>Message</th></tr></thead><tbody>\n");
    for (ExecutedTest t : r.unplannedTests()) {
      h.append("<tr><td>")
          .append(esc(t.result().displayName()))
          .append("<div class=\"muted\"><code>")
          .append(esc(t.result().testId()))
          .append("</code></div></td><td>")
          .append(esc(Format.orUnknown(t.result().planId())))
          .append("</td><td>")
          .append(esc(t.module()))
          .append("</td><td>")
          .append(HtmlItemTable.pill(String.valueOf(t.result().outcome())))
          .append("</td><td>")
          .append(esc(t.result().reason()))
          .append("</td></tr>\n");
    }
    h.append("</tbody></table></section>\n");
  }

  private static void coverage(StringBuilder h, Coverage c) {
    h.append("<section id=\"coverage\" class=\"coverage\"><h2>Harness coverage</h2>\n")
        .append(
            "<p class=\"muted\">This measures replcert itself, not the driver, and is not part of"
                + " the ")
        .append(
            "verdict: a plan item counts as implemented when this run holds at least one test for"
                + " it.</p>\n")
        .append("<p><strong>")
        .append(esc(c.sentence()))
        .append("</strong></p>\n<table class=\"kv\">\n");
    for (Coverage.Layer l : c.layers()) {
      int percent = l.planned() == 0 ? 0 : 100 * l.implemented() / l.planned();
      h.append("<tr><th>")
          .append(esc(Format.layerName(l.layer())))
          .append("</th><td>")
          .append(l.implemented())
          .append(" of ")
          .append(l.planned())
          .append("</td><td><span class=\"bar\"><span style=\"width:")
          .append(percent)
          .append("%\"></span></span></td></tr>\n");
    }
    h.append("</table></section>\n");
  }

  private static void records(StringBuilder h, RunInfo run) {
    h.append("<section id=\"records\"><h2>Run records</h2>\n");
    if (run.records().isEmpty()) {
      h.append("<p>No run record of run ").append(esc(run.runId())).append(" was found.</p>\n");
    } else {
      sources(h, run.records());
    }
    if (!run.ignoredRecords().isEmpty()) {
      h.append("<p>Ignored, because they belong to other runs:</p>\n");
      sources(h, run.ignoredRecords());
    }
    h.append("</section>\n");
  }

  private static void sources(StringBuilder h, List<RecordSource> sources) {
    h.append(
        "<table><thead><tr><th>Path</th><th>Module</th><th>Run"
            + " id</th><th>SHA-256</th></tr></thead><tbody>\n");
    for (RecordSource s : sources) {
      h.append("<tr><td><code>")
          .append(esc(s.path()))
          .append("</code></td><td>")
          .append(esc(s.module()))
          .append("</td><td>")
          .append(esc(s.runId()))
          .append("</td><td><code>")
          .append(esc(Format.orUnknown(s.sha256())))
          .append("</code></td></tr>\n");
    }
    h.append("</tbody></table>\n");
  }

  private static void config(StringBuilder h, RunInfo run) {
    h.append(
            "<section id=\"config\"><h2>Configuration</h2>\n"
                + "<p class=\"muted\">As the harness ran it; ")
        .append("secrets were redacted by the harness before the run records were written.</p>\n");
    for (ModuleConfig c : run.configs()) {
      h.append("<details><summary>")
          .append(esc(String.join(", ", c.modules())))
          .append("</summary><pre>");
      try {
        h.append(esc(JsonReportRenderer.mapper().writeValueAsString(c.config())));
      } catch (JsonProcessingException e) {
        h.append(esc("(configuration could not be rendered: " + e.getOriginalMessage() + ")"));
      }
      h.append("</pre></details>\n");
    }
    h.append("</section>\n");
  }
}
