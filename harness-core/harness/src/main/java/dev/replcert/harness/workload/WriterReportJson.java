package dev.replcert.harness.workload;

import dev.replcert.harness.volume.VolumeIoException;
import dev.replcert.harness.workload.VerificationJson.Fields;
import dev.replcert.harness.workload.WriterReport.Failure;
import dev.replcert.harness.workload.WriterReport.StopReason;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/** A {@link WriterReport} as one line of JSON: the writer pod's termination message. */
public final class WriterReportJson {

  private static final int MAX_FAILURE_MESSAGE = 1000;

  private WriterReportJson() {}

  public static String toJson(WriterReport report) {
    return Json.write(toMap(report));
  }

  public static WriterReport fromJson(String json) {
    Object value = Json.read(json);
    if (!(value instanceof Map<?, ?> map)) {
      throw new IllegalArgumentException("writer report JSON is not an object: " + json);
    }
    return fromMap(Fields.of(map));
  }

  static Map<String, Object> toMap(WriterReport r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("runId", r.runId().toString());
    m.put("firstSequence", r.firstSequence());
    m.put("lastAttempted", r.lastAttempted());
    m.put("lastAcked", r.lastAcked());
    m.put("lastAckedAt", text(r.lastAckedAt()));
    m.put("startedAt", text(r.startedAt()));
    if (r.failure() != null) {
      Map<String, Object> failure = new LinkedHashMap<>();
      failure.put("kind", r.failure().kind().name());
      String message = r.failure().message();
      failure.put(
          "message",
          message != null && message.length() > MAX_FAILURE_MESSAGE
              ? message.substring(0, MAX_FAILURE_MESSAGE)
              : message);
      m.put("failure", failure);
    } else {
      m.put("failure", null);
    }
    m.put("stoppedBecause", r.stoppedBecause().name());
    return m;
  }

  static WriterReport fromMap(Fields f) {
    Fields failure = f.object("failure");
    return new WriterReport(
        UUID.fromString(f.string("runId")),
        f.number("firstSequence"),
        f.number("lastAttempted"),
        f.number("lastAcked"),
        f.instant("lastAckedAt"),
        f.instant("startedAt"),
        failure == null
            ? null
            : new Failure(
                VolumeIoException.Kind.valueOf(failure.string("kind")), failure.string("message")),
        StopReason.valueOf(f.string("stoppedBecause")));
  }

  private static String text(Instant instant) {
    return instant == null ? null : instant.toString();
  }
}
