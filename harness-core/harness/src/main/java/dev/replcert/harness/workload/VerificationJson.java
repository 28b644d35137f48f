package dev.replcert.harness.workload;

import dev.replcert.harness.workload.Verification.CorruptRecord;
import dev.replcert.harness.workload.Verification.Gap;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A {@link Verification} as one line of JSON, the verifier pod's termination message. Kubernetes
 * keeps at most 4096 bytes of it, so the listed gaps and corrupt records are cut until the line
 * fits ({@value #MAX_BYTES} bytes); the counts stay exact and at least the first of each list is
 * kept, so {@link Verification#isPrefixOf} and {@link Verification#tornTail} mean the same on both
 * sides.
 */
public final class VerificationJson {

  /** Below the kubelet's 4096-byte limit for a termination message. */
  public static final int MAX_BYTES = 4000;

  private static final int MAX_REASON = 200;

  private VerificationJson() {}

  public static String toJson(Verification v) {
    int listed = Verification.MAX_LISTED;
    while (true) {
      String json = Json.write(toMap(v, listed));
      if (json.getBytes(StandardCharsets.UTF_8).length <= MAX_BYTES || listed == 1) {
        return json;
      }
      listed = Math.max(1, listed / 2);
    }
  }

  public static Verification fromJson(String json) {
    Object value = Json.read(json);
    if (!(value instanceof Map<?, ?> map)) {
      throw new IllegalArgumentException("verification JSON is not an object: " + json);
    }
    return fromMap(Fields.of(map));
  }

  static Map<String, Object> toMap(Verification v, int listed) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("runId", v.runId().toString());
    m.put("recordSize", v.recordSize());
    m.put("slotsScanned", v.slotsScanned());
    m.put("lastContiguous", v.lastContiguous());
    m.put("validCount", v.validCount());
    m.put("lastValid", v.lastValid());
    List<Object> gaps = new ArrayList<>();
    for (Gap gap : v.gaps().subList(0, Math.min(listed, v.gaps().size()))) {
      gaps.add(List.of(gap.first(), gap.last()));
    }
    m.put("gaps", gaps);
    m.put("missingCount", v.missingCount());
    List<Object> corrupt = new ArrayList<>();
    for (CorruptRecord c : v.corrupt().subList(0, Math.min(listed, v.corrupt().size()))) {
      Map<String, Object> record = new LinkedHashMap<>();
      record.put("sequence", c.sequence());
      record.put("offset", c.offset());
      String reason = c.reason();
      record.put("reason", reason.length() > MAX_REASON ? reason.substring(0, MAX_REASON) : reason);
      corrupt.add(record);
    }
    m.put("corrupt", corrupt);
    m.put("corruptCount", v.corruptCount());
    m.put("foreignCount", v.foreignCount());
    m.put("lastWriteTime", v.lastWriteTime() == null ? null : v.lastWriteTime().toString());
    return m;
  }

  static Verification fromMap(Fields f) {
    List<Gap> gaps = new ArrayList<>();
    for (Object gap : f.list("gaps")) {
      List<?> pair = (List<?>) gap;
      gaps.add(new Gap(((Number) pair.get(0)).longValue(), ((Number) pair.get(1)).longValue()));
    }
    List<CorruptRecord> corrupt = new ArrayList<>();
    for (Object c : f.list("corrupt")) {
      Fields record = Fields.of((Map<?, ?>) c);
      corrupt.add(
          new CorruptRecord(
              record.number("sequence"), record.number("offset"), record.string("reason")));
    }
    return new Verification(
        UUID.fromString(f.string("runId")),
        (int) f.number("recordSize"),
        f.number("slotsScanned"),
        f.number("lastContiguous"),
        f.number("validCount"),
        f.number("lastValid"),
        gaps,
        f.number("missingCount"),
        corrupt,
        f.number("corruptCount"),
        f.number("foreignCount"),
        f.instant("lastWriteTime"));
  }

  /** Typed access to a parsed JSON object, naming the field that is missing or mistyped. */
  record Fields(Map<?, ?> map) {

    static Fields of(Map<?, ?> map) {
      return new Fields(map);
    }

    long number(String name) {
      if (map.get(name) instanceof Number n) {
        return n.longValue();
      }
      throw new IllegalArgumentException("field " + name + " is not a number: " + map.get(name));
    }

    String string(String name) {
      Object value = map.get(name);
      if (value == null || value instanceof String) {
        return (String) value;
      }
      throw new IllegalArgumentException("field " + name + " is not a string: " + value);
    }

    Instant instant(String name) {
      String value = string(name);
      return value == null ? null : Instant.parse(value);
    }

    List<?> list(String name) {
      Object value = map.get(name);
      if (value == null) {
        return List.of();
      }
      if (value instanceof List<?> list) {
        return list;
      }
      throw new IllegalArgumentException("field " + name + " is not a list: " + value);
    }

    Fields object(String name) {
      Object value = map.get(name);
      return value instanceof Map<?, ?> m ? new Fields(m) : null;
    }
  }
}
