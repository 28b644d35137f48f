package dev.replcert.lab.substrate.ocm;

import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.open_cluster_management.work.v1.manifestworkspec.manifestconfigs.FeedbackRules;
import io.open_cluster_management.work.v1.manifestworkspec.manifestconfigs.feedbackrules.JsonPaths;
import io.open_cluster_management.work.v1.manifestworkstatus.resourcestatus.manifests.statusfeedback.Values;
import io.open_cluster_management.work.v1.manifestworkstatus.resourcestatus.manifests.statusfeedback.values.FieldValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The work agent's status reader: feedback rules of a manifest config evaluated against the applied
 * resource. {@code JSONPaths} takes the paths OCM documents ({@code .status.state}, {@code
 * .status.items[0].name}, {@code .status.conditions[?(@.type=="Ready")].status}); {@code
 * WellKnownStatus} knows OCM's fields of Deployment, Job and Pod. A string is a String value,
 * an integer an Integer, a boolean a Boolean, anything else JsonRaw (keys sorted, as Go writes
 * them; OCM itself reports JsonRaw only behind a feature gate).
 */
final class StatusFeedback {

  /** One evaluation: the values found and the paths that were not. */
  record Result(List<Values> values, List<String> errors) {}

  private static final Pattern FILTER =
      Pattern.compile("\\[\\?\\(@\\.([A-Za-z0-9_]+)\\s*==\\s*[\"']([^\"']*)[\"']\\)\\]");
  private static final Pattern INDEX = Pattern.compile("\\[(\\d+)\\]");

  private static final Map<String, Map<String, String>> WELL_KNOWN =
      Map.of(
          "Deployment",
          Map.of(
              "ReadyReplicas", ".status.readyReplicas",
              "Replicas", ".status.replicas",
              "AvailableReplicas", ".status.availableReplicas"),
          "Job",
          Map.of(
              "JobComplete", ".status.conditions[?(@.type==\"Complete\")].status",
              "JobSucceeded", ".status.succeeded"),
          "Pod",
          Map.of(
              "PodPhase", ".status.phase",
              "PodReady", ".status.conditions[?(@.type==\"Ready\")].status"));

  private final KubernetesSerialization json;

  StatusFeedback(KubernetesSerialization json) {
    this.json = json;
  }

  Result evaluate(String kind, Map<String, Object> object, List<FeedbackRules> rules) {
    List<Values> values = new ArrayList<>();
    List<String> errors = new ArrayList<>();
    for (FeedbackRules rule : rules) {
      if (rule.getType() == FeedbackRules.Type.WELLKNOWNSTATUS) {
        Map<String, String> known = WELL_KNOWN.get(kind);
        if (known == null) {
          errors.add("cannot find the wellknown statuses for resource with kind " + kind);
          continue;
        }
        known.entrySet().stream()
            .sorted(Map.Entry.comparingByKey())
            .forEach(e -> read(object, e.getValue()).ifPresent(v -> values.add(value(e.getKey(), v))));
      } else if (rule.getJsonPaths() != null) {
        for (JsonPaths path : rule.getJsonPaths()) {
          Optional<Object> found;
          try {
            found = read(object, path.getPath());
          } catch (IllegalArgumentException e) {
            errors.add(e.getMessage());
            continue;
          }
          found.ifPresentOrElse(
              v -> values.add(value(path.getName(), v)),
              () -> errors.add(path.getName() + " of path " + path.getPath() + " is not found"));
        }
      }
    }
    return new Result(values, errors);
  }

  /** The value at {@code path} in {@code object}, empty if any step is missing. */
  static Optional<Object> read(Map<String, Object> object, String path) {
    String p = path.strip();
    if (p.startsWith("{") && p.endsWith("}")) {
      p = p.substring(1, p.length() - 1);
    }
    if (!p.startsWith(".")) {
      throw new IllegalArgumentException("path " + path + " is not a JSONPath starting with '.'");
    }
    Object current = object;
    int i = 0;
    while (i < p.length() && current != null) {
      char c = p.charAt(i);
      if (c == '.') {
        int end = i + 1;
        while (end < p.length() && p.charAt(end) != '.' && p.charAt(end) != '[') {
          end++;
        }
        String field = p.substring(i + 1, end);
        current = current instanceof Map<?, ?> map ? map.get(field) : null;
        i = end;
      } else if (c == '[') {
        Matcher filter = FILTER.matcher(p).region(i, p.length());
        Matcher index = INDEX.matcher(p).region(i, p.length());
        if (filter.lookingAt()) {
          current = current instanceof List<?> list ? first(list, filter.group(1), filter.group(2)) : null;
          i = filter.end();
        } else if (index.lookingAt()) {
          int n = Integer.parseInt(index.group(1));
          current = current instanceof List<?> list && n < list.size() ? list.get(n) : null;
          i = index.end();
        } else {
          throw new IllegalArgumentException("path " + path + " has an unsupported step at " + p.substring(i));
        }
      } else {
        throw new IllegalArgumentException("path " + path + " has an unsupported step at " + p.substring(i));
      }
    }
    return Optional.ofNullable(current);
  }

  private static Object first(List<?> list, String field, String expected) {
    for (Object item : list) {
      if (item instanceof Map<?, ?> map && expected.equals(String.valueOf(map.get(field)))) {
        return item;
      }
    }
    return null;
  }

  /** Objects with their keys in order, as Go's encoding/json writes them. */
  private static Object sorted(Object value) {
    if (value instanceof Map<?, ?> map) {
      java.util.TreeMap<String, Object> result = new java.util.TreeMap<>();
      map.forEach((k, v) -> result.put(String.valueOf(k), sorted(v)));
      return result;
    }
    if (value instanceof List<?> list) {
      return list.stream().map(StatusFeedback::sorted).toList();
    }
    return value;
  }

  private Values value(String name, Object found) {
    FieldValue field = new FieldValue();
    if (found instanceof String s) {
      field.setType(FieldValue.Type.STRING);
      field.setString(s);
    } else if (found instanceof Integer || found instanceof Long || found instanceof Short) {
      field.setType(FieldValue.Type.INTEGER);
      field.setInteger(((Number) found).longValue());
    } else if (found instanceof Boolean b) {
      field.setType(FieldValue.Type.BOOLEAN);
      field.set_boolean(b);
    } else {
      field.setType(FieldValue.Type.JSONRAW);
      field.setJsonRaw(json.asJson(sorted(found)));
    }
    Values value = new Values();
    value.setName(name);
    value.setFieldValue(field);
    return value;
  }
}
