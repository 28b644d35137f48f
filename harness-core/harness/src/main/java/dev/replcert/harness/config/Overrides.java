package dev.replcert.harness.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code -Dcert.<key.path>=value} overrides, written into the YAML tree before binding so they pass
 * the same checks as the file. Values are typed the way YAML would type them: {@code true}, {@code
 * 42} and {@code [a, b]} are a boolean, an integer and a list; an empty value removes the key;
 * anything else is a string.
 */
final class Overrides {

  static final String PREFIX = "cert.";
  private static final Pattern SEGMENT = Pattern.compile("([^.\\[\\]]+)((?:\\[\\d+])*)");
  private static final Pattern INDEX = Pattern.compile("\\[(\\d+)]");
  private static final Pattern INTEGER = Pattern.compile("-?\\d+");
  private static final Pattern DECIMAL = Pattern.compile("-?\\d*\\.\\d+([eE][-+]?\\d+)?");
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final Map<String, String> byKeyPath; // key path -> value, parents before children

  private Overrides(Map<String, String> byKeyPath) {
    this.byKeyPath = byKeyPath;
  }

  /** Keys may be given with or without the {@code cert.} prefix. */
  static Overrides of(Map<String, String> overrides) {
    Map<String, String> byKeyPath = new TreeMap<>();
    overrides.forEach(
        (key, value) ->
            byKeyPath.put(key.startsWith(PREFIX) ? key.substring(PREFIX.length()) : key, value));
    return new Overrides(byKeyPath);
  }

  /** Key path -> "system property cert.key.path", for {@link Problems#sourceOf}. */
  Map<String, String> sources() {
    Map<String, String> sources = new LinkedHashMap<>();
    byKeyPath.keySet().forEach(k -> sources.put(k, source(k)));
    return sources;
  }

  static String source(String keyPath) {
    return "system property " + PREFIX + keyPath;
  }

  /** Applies every override; a malformed key path is reported and skipped. */
  void applyTo(ObjectNode root, Problems problems) {
    byKeyPath.forEach(
        (keyPath, value) -> {
          String error = set(root, keyPath, value(value));
          if (error != null) {
            problems.addAt(source(keyPath), keyPath, error);
          }
        });
  }

  /** Sets one value, creating enclosing mappings and lists; returns an error or null. */
  private static String set(ObjectNode root, String keyPath, JsonNode value) {
    List<Object> steps = steps(keyPath);
    if (steps == null) {
      return "expected a key path like driver.endpoints.east.csi or s3Profiles[0].bucket";
    }
    JsonNode node = root;
    for (int i = 0; i < steps.size() - 1; i++) {
      boolean nextIsIndex = steps.get(i + 1) instanceof Integer;
      node = descend(node, steps.get(i), nextIsIndex);
      if (node == null) {
        return "index out of range; expected at most one past the last list entry";
      }
    }
    Object last = steps.get(steps.size() - 1);
    if (last instanceof String key) {
      ((ObjectNode) node).set(key, value);
      return null;
    }
    ArrayNode array = (ArrayNode) node;
    int index = (Integer) last;
    if (index > array.size()) {
      return "index out of range; expected at most one past the last list entry";
    }
    if (index == array.size()) {
      array.add(value);
    } else {
      array.set(index, value);
    }
    return null;
  }

  /** The child at {@code step}, replaced by an empty container of the right kind if needed. */
  private static JsonNode descend(JsonNode node, Object step, boolean wantArray) {
    JsonNode child;
    if (step instanceof String key) {
      child = node.get(key);
      if (child == null || (wantArray ? !child.isArray() : !child.isObject())) {
        child = wantArray ? NODES.arrayNode() : NODES.objectNode();
        ((ObjectNode) node).set(key, child);
      }
      return child;
    }
    ArrayNode array = (ArrayNode) node;
    int index = (Integer) step;
    if (index > array.size()) {
      return null;
    }
    child = index < array.size() ? array.get(index) : null;
    if (child == null || (wantArray ? !child.isArray() : !child.isObject())) {
      child = wantArray ? NODES.arrayNode() : NODES.objectNode();
      if (index == array.size()) {
        array.add(child);
      } else {
        array.set(index, child);
      }
    }
    return child;
  }

  /** {@code a.b[1].c} -> ["a", "b", 1, "c"], or null when malformed. */
  private static List<Object> steps(String keyPath) {
    List<Object> steps = new ArrayList<>();
    for (String segment : keyPath.split("\\.", -1)) {
      Matcher m = SEGMENT.matcher(segment);
      if (!m.matches()) {
        return null;
      }
      steps.add(m.group(1));
      Matcher index = INDEX.matcher(m.group(2));
      while (index.find()) {
        steps.add(Integer.parseInt(index.group(1)));
      }
    }
    return steps;
  }

  static JsonNode value(String text) {
    if (text == null || text.isEmpty()) {
      return NODES.nullNode();
    }
    if (text.equals("true") || text.equals("false")) {
      return NODES.booleanNode(Boolean.parseBoolean(text));
    }
    if (INTEGER.matcher(text).matches()) {
      BigInteger n = new BigInteger(text);
      return n.bitLength() < Integer.SIZE
          ? NODES.numberNode(n.intValue())
          : n.bitLength() < Long.SIZE ? NODES.numberNode(n.longValue()) : NODES.numberNode(n);
    }
    if (DECIMAL.matcher(text).matches()) {
      return NODES.numberNode(Double.parseDouble(text));
    }
    if (text.startsWith("[") || text.startsWith("{")) {
      try {
        return ConfigMapper.MAPPER.readTree(text); // a YAML flow list or mapping
      } catch (IOException e) {
        return NODES.textNode(text);
      }
    }
    return NODES.textNode(text);
  }
}
