package dev.replcert.reports;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.replcert.harness.record.RunRecordJson;
import java.io.UncheckedIOException;

/**
 * report.json: the machine summary a review bot checks. It is the report model as is, written with
 * the run record mapping (ISO instants and durations), so it reads back with the same mapper into
 * an equal {@link CertificationReport}.
 */
public final class JsonReportRenderer implements ReportRenderer {

  @Override
  public String fileName() {
    return "report.json";
  }

  @Override
  public String render(CertificationReport report) {
    try {
      return mapper().writeValueAsString(report) + "\n";
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException("cannot render report.json", e);
    }
  }

  public static ObjectMapper mapper() {
    return RunRecordJson.mapper();
  }
}
