package dev.replcert.reports;

import static dev.replcert.reports.Markdown.text;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.replcert.harness.record.DriverIdentity;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * report.md: the same content as the HTML page, readable in a pull request. Attachments are only
 * named here (they can be long logs); their content is in report.html and report.json.
 */
public final class MarkdownReportRenderer implements ReportRenderer {

  @Override
  public String fileName() {
    return "report.md";
  }

  @Override
  public String render(CertificationReport r) {
    StringBuilder md = new StringBuilder();
    md.append("# replcert certification report: ")
        .append(text(Format.driverName(r.run().driver())))
        .append("\n\n**Verdict: ")
        .append(r.verdict().verdict().label())
        .append("**\n\n");
    for (Finding f : r.verdict().reasons()) {
      String severity = f.severity().name().toLowerCase(Locale.ROOT);
      md.append("- ").append(severity).append(": ").append(text(f.message())).append('\n');
    }
    md.append('\n');
    driver(md, r);
    capabilities(md, r);
    MarkdownItemTables.items(md, r);
    MarkdownItemTables.failures(md, r);
    DrTimelineSection.markdown(md, r.drTimelines());
    MarkdownItemTables.unplanned(md, r);
    coverage(md, r.coverage());
    records(md, r.run());
    config(md, r.run());
    md.append("\n_Generated ")
        .append(Format.instant(r.generatedAt()))
        .append(" by replcert ")
        .append(text(Format.orUnknown(r.run().harnessVersion())))
        .append("._\n");
    return md.toString();
  }

  /** A table header; the labels are fixed text. */
  static void header(StringBuilder md, String... labels) {
    md.append("| ").append(String.join(" | ", labels)).append(" |\n|");
    md.append("---|".repeat(labels.length)).append('\n');
  }

  /** A table row; every cell must already be escaped. */
  static void row(StringBuilder md, String... cells) {
    md.append("| ").append(String.join(" | ", cells)).append(" |\n");
  }

  private static void driver(StringBuilder md, CertificationReport r) {
    RunInfo run = r.run();
    DriverIdentity d = run.driver();
    md.append("## Driver under test\n\n");
    header(md, "", "");
    keyValue(md, "Configured name", d == null ? null : d.configuredName());
    keyValue(md, "Reported name", d == null ? null : d.reportedName());
    keyValue(md, "Vendor version", d == null ? null : d.vendorVersion());
    if (d != null) {
      d.manifest().entrySet().stream()
          .sorted(Map.Entry.comparingByKey())
          .forEach(e -> keyValue(md, "Manifest: " + e.getKey(), e.getValue()));
    }
    keyValue(md, "Mode", run.mode());
    keyValue(md, "Run id", run.runId());
    keyValue(md, "Harness version", run.harnessVersion());
    keyValue(md, "Test plan version", r.planVersion());
    keyValue(md, "Started", Format.instant(run.startedAt()));
    keyValue(md, "Finished", Format.instant(run.finishedAt()));
    keyValue(
        md,
        "Modules",
        run.records().stream().map(RecordSource::module).collect(Collectors.joining(", ")));
    md.append('\n');
  }

  private static void keyValue(StringBuilder md, String key, String value) {
    row(md, text(key), text(Format.orUnknown(value)));
  }

  private static void capabilities(StringBuilder md, CertificationReport r) {
    md.append("## Capability matrix\n\n");
    header(md, "Capability", "Declared", "Tested (plan items)", "Verdict", "Why");
    for (CapabilityResult c : r.capabilities()) {
      row(
          md,
          text(c.capability()),
          c.claimed() ? "claimed" : "not claimed",
          text(Format.tested(c)),
          "**" + c.verdict().label() + "**",
          text(String.join(" ", c.reasons())));
    }
    md.append('\n');
  }

  private static void coverage(StringBuilder md, Coverage c) {
    md.append("## Harness coverage (not part of the verdict)\n\n")
        .append("This measures replcert, not the driver: plan items that have at least one test")
        .append(" in this run.\n\n**")
        .append(c.sentence())
        .append("**\n\n");
    header(md, "Layer", "Implemented", "Planned");
    for (Coverage.Layer l : c.layers()) {
      row(
          md,
          text(Format.layerName(l.layer())),
          String.valueOf(l.implemented()),
          String.valueOf(l.planned()));
    }
    md.append('\n');
  }

  private static void records(StringBuilder md, RunInfo run) {
    md.append("## Run records\n\n");
    if (run.records().isEmpty()) {
      md.append("No run record of run ").append(text(run.runId())).append(" was found.\n\n");
    } else {
      sources(md, run.records());
    }
    if (!run.ignoredRecords().isEmpty()) {
      md.append("Ignored (they belong to other runs):\n\n");
      sources(md, run.ignoredRecords());
    }
  }

  private static void sources(StringBuilder md, List<RecordSource> sources) {
    header(md, "Path", "Module", "Run id", "SHA-256");
    for (RecordSource s : sources) {
      row(
          md,
          text(s.path()),
          text(s.module()),
          text(s.runId()),
          text(Format.orUnknown(s.sha256())));
    }
    md.append('\n');
  }

  private static void config(StringBuilder md, RunInfo run) {
    md.append("## Configuration (secrets redacted by the harness)\n\n");
    for (ModuleConfig c : run.configs()) {
      md.append("Modules: ").append(text(String.join(", ", c.modules()))).append("\n\n");
      try {
        String json = JsonReportRenderer.mapper().writeValueAsString(c.config());
        md.append(Markdown.codeBlock("json", json)).append('\n');
      } catch (JsonProcessingException e) {
        md.append("(not rendered: ").append(text(e.getOriginalMessage())).append(")\n\n");
      }
    }
  }
}
