package dev.replcert.reports;

/** Renders a report into one file's content; one implementation per output format. */
public interface ReportRenderer {

  /** File name inside the output directory, e.g. report.html. */
  String fileName();

  String render(CertificationReport report);
}
