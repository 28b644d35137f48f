package dev.replcert.harness.workload;

import dev.replcert.harness.workload.VerificationJson.Fields;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the workload program leaves as its container's termination message: one line of JSON with a
 * {@code "type"} of {@code writer} (a {@link WriterReport}), {@code verification} (a {@link
 * Verification}) or {@code error} (the program could not do its job; {@code phase} says where).
 */
public sealed interface TerminationMessage {

  /** The writer ended; its report. */
  record Written(WriterReport report) implements TerminationMessage {}

  /** The verifier read the volume. */
  record Verified(Verification verification) implements TerminationMessage {}

  /** The program failed before it had a result: bad arguments, a volume it could not open. */
  record Failed(String phase, String message) implements TerminationMessage {}

  static String writer(WriterReport report) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("type", "writer");
    m.putAll(WriterReportJson.toMap(report));
    return Json.write(m);
  }

  static String verification(Verification verification) {
    return "{\"type\":\"verification\"," + VerificationJson.toJson(verification).substring(1);
  }

  static String error(String phase, String message) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("type", "error");
    m.put("phase", phase);
    String text = String.valueOf(message);
    m.put("message", text.length() > 3000 ? text.substring(0, 3000) : text);
    return Json.write(m);
  }

  /**
   * Reads a termination message.
   *
   * @throws IllegalArgumentException if it is not one of ours (e.g. empty, or a JVM crash text)
   */
  static TerminationMessage parse(String message) {
    if (message == null || message.isBlank()) {
      throw new IllegalArgumentException("no termination message");
    }
    Object value = Json.read(message.trim());
    if (!(value instanceof Map<?, ?> map)) {
      throw new IllegalArgumentException("termination message is not a JSON object");
    }
    Fields f = Fields.of(map);
    String type = f.string("type");
    if (type == null) {
      throw new IllegalArgumentException("termination message has no type");
    }
    return switch (type) {
      case "writer" -> new Written(WriterReportJson.fromMap(f));
      case "verification" -> new Verified(VerificationJson.fromMap(f));
      case "error" -> new Failed(f.string("phase"), f.string("message"));
      default -> throw new IllegalArgumentException("unknown termination message type " + type);
    };
  }
}
