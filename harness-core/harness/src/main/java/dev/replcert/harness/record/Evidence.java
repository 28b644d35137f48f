package dev.replcert.harness.record;

import io.qameta.allure.Allure;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;

/**
 * What one test records as evidence for the report: measurements (RPO, RTO, latencies) and text
 * attachments (gRPC call logs, timelines). Everything also goes to Allure. Text passes through the
 * run's redactor first, so a secret that leaks into a log never reaches a report.
 */
public final class Evidence {

  private final UnaryOperator<String> redactor;
  private final List<Measurement> measurements = new ArrayList<>();
  private final List<Attachment> attachments = new ArrayList<>();

  public Evidence(UnaryOperator<String> redactor) {
    this.redactor = redactor;
  }

  /** Records a measurement, e.g. {@code measure("rpo.records", 12, "records")}. */
  public synchronized void measure(String name, double value, String unit) {
    measurements.add(new Measurement(name, value, unit));
    Allure.parameter(name, String.format(Locale.ROOT, "%s %s", format(value), unit));
  }

  /** Records a text attachment (plain text). */
  public void attach(String name, String content) {
    attach(name, "text/plain", content);
  }

  public synchronized void attach(String name, String mediaType, String content) {
    String safe = redactor.apply(content);
    attachments.add(new Attachment(name, mediaType, safe));
    Allure.addAttachment(name, mediaType, safe);
  }

  public synchronized List<Measurement> measurements() {
    return List.copyOf(measurements);
  }

  public synchronized List<Attachment> attachments() {
    return List.copyOf(attachments);
  }

  private static String format(double value) {
    return value == Math.rint(value) && Math.abs(value) < 1e15
        ? Long.toString((long) value)
        : Double.toString(value);
  }
}
