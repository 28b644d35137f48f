package dev.replcert.reports;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/**
 * The few lines printed at the end of the build. They name items and reasons only: test output
 * (failure messages, attachments) and the configuration stay in the report files, never in a CI log
 * that may be public.
 */
final class ConsoleSummary {

  /** Beyond this many, the report files carry the rest. */
  private static final int MAX_REASONS = 20;

  private ConsoleSummary() {}

  static void print(CertificationReport r, List<Path> files, PrintStream out) {
    out.println("replcert verdict: " + r.verdict().verdict().label());
    List<Finding> reasons = r.verdict().reasons();
    reasons.stream()
        .limit(MAX_REASONS)
        .forEach(
            f ->
                out.println(
                    "  "
                        + f.severity().name().toLowerCase(java.util.Locale.ROOT)
                        + ": "
                        + f.message()));
    if (reasons.size() > MAX_REASONS) {
      out.println("  ... and " + (reasons.size() - MAX_REASONS) + " more reasons in the report");
    }
    out.println("plan items: " + Format.counts(r.counts()));
    out.println(r.coverage().sentence() + " (this is about replcert, not part of the verdict)");
    out.println(
        "run records: "
            + r.run().records().size()
            + " of run "
            + r.run().runId()
            + " read, "
            + r.run().ignoredRecords().size()
            + " of other runs ignored");
    out.println("reports:");
    files.forEach(f -> out.println("  " + f));
  }
}
