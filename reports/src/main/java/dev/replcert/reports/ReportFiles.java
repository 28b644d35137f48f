package dev.replcert.reports;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Writes the report in every format into one directory. */
final class ReportFiles {

  static final List<ReportRenderer> RENDERERS =
      List.of(new HtmlReportRenderer(), new JsonReportRenderer(), new MarkdownReportRenderer());

  private ReportFiles() {}

  /** Returns the absolute paths written, in {@link #RENDERERS} order. */
  static List<Path> write(CertificationReport report, Path outDir) throws IOException {
    Path dir = outDir.toAbsolutePath().normalize();
    Files.createDirectories(dir);
    List<Path> written = new ArrayList<>();
    for (ReportRenderer renderer : RENDERERS) {
      Path file = dir.resolve(renderer.fileName());
      Files.writeString(file, renderer.render(report), StandardCharsets.UTF_8);
      written.add(file);
    }
    return written;
  }
}
