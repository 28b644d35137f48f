package dev.replcert.harness.workload;

import java.util.Optional;

/**
 * The writer's progress lines on stdout: {@value #PREFIX} followed by a {@link WriterReport} as
 * {@link WriterReportJson}, one line every {@link WorkloadCommand#PROGRESS_INTERVAL} and a last one
 * when the writer ends. Anything else on stdout is ignored, so a vendor's wrapper may log freely.
 */
public final class WriterProgress {

  public static final String PREFIX = "replcert-progress ";

  private WriterProgress() {}

  public static String line(WriterReport report) {
    return PREFIX + WriterReportJson.toJson(report);
  }

  /** The report on one line, if it is a progress line. */
  public static Optional<WriterReport> parse(String line) {
    int at = line.indexOf(PREFIX);
    if (at < 0) {
      return Optional.empty();
    }
    try {
      return Optional.of(WriterReportJson.fromJson(line.substring(at + PREFIX.length()).trim()));
    } catch (RuntimeException e) {
      // a line cut short (log rotation, a read mid-write) is not progress
      return Optional.empty();
    }
  }

  /** The last progress line in a log (e.g. a pod's), if there is one. */
  public static Optional<WriterReport> last(String log) {
    String[] lines = log.split("\n");
    for (int i = lines.length - 1; i >= 0; i--) {
      Optional<WriterReport> report = parse(lines[i]);
      if (report.isPresent()) {
        return report;
      }
    }
    return Optional.empty();
  }
}
