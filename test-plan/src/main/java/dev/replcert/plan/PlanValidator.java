package dev.replcert.plan;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Turns the parsed YAML tree into a {@link TestPlan}, recording every rule it breaks.
 *
 * <p>Works on the tree rather than on data-bound classes so that each message can name the item
 * (index and id) and the key, which Jackson's binding errors cannot.
 */
final class PlanValidator {

  // AREA allows digits after the first letter only because the required area S3 has one.
  static final Pattern ID = Pattern.compile("L(\\d)-([A-Z][A-Z0-9]{1,5})-(\\d{3})");
  static final List<String> TOP_KEYS = List.of("version", "items");
  static final List<String> ITEM_KEYS =
      List.of("id", "title", "layer", "source", "level", "capabilities", "steps");
  static final Set<Integer> LAYERS = Set.of(1, 2, 3);
  private static final List<String> LEVELS =
      Arrays.stream(Level.values()).map(Enum::name).collect(Collectors.toList());
  private static final Set<String> LEVEL_SET = Set.copyOf(LEVELS);
  private static final Set<String> KNOWN_SOURCE_SET = Set.copyOf(PlanLoader.KNOWN_SOURCES);
  private static final Set<String> KNOWN_CAPABILITY_SET = Set.copyOf(PlanLoader.KNOWN_CAPABILITIES);

  private final List<String> problems;

  PlanValidator(List<String> problems) {
    this.problems = problems;
  }

  TestPlan validate(JsonNode root) {
    if (root == null || !root.isObject()) {
      problems.add("top level: expected a mapping with keys " + String.join(", ", TOP_KEYS));
      return new TestPlan("", List.of());
    }
    unknownKeys(root, TOP_KEYS, "top level");
    JsonNode version = root.get("version");
    if (version == null || !version.isValueNode() || version.asText().isBlank()) {
      problems.add("top level: 'version' is required (e.g. version: 1)");
    }
    JsonNode items = root.get("items");
    if (items == null || !items.isArray() || items.isEmpty()) {
      problems.add("top level: 'items' must be a non-empty list of plan items");
      return new TestPlan(version == null ? "" : version.asText(), List.of());
    }
    List<PlanItem> result = new ArrayList<>();
    Map<String, Integer> firstIndexOfId = new HashMap<>();
    for (int i = 0; i < items.size(); i++) {
      PlanItem item = item(i, items.get(i));
      if (item == null) {
        continue;
      }
      Integer first = firstIndexOfId.putIfAbsent(item.id(), i);
      if (first != null) {
        problems.add(label(i, item.id()) + ": duplicate id, already used by items[" + first + "]");
      }
      result.add(item);
    }
    return new TestPlan(version == null ? "" : version.asText(), result);
  }

  /** The item, or null when it is too broken to build (its problems are recorded). */
  private PlanItem item(int index, JsonNode node) {
    if (!node.isObject()) {
      problems.add("items[" + index + "]: expected a mapping with keys " + String.join(", ", ITEM_KEYS));
      return null;
    }
    JsonNode idNode = node.get("id");
    String rawId = idNode != null && idNode.isTextual() ? idNode.asText().strip() : null;
    String where = label(index, rawId);
    int before = problems.size();

    unknownKeys(node, ITEM_KEYS, where);
    Matcher id = idMatcher(where, rawId);
    String title = text(node, "title", where);
    String steps = text(node, "steps", where);
    Integer layer = layer(node, where, id);
    String source = oneOf(node, "source", KNOWN_SOURCE_SET, PlanLoader.KNOWN_SOURCES, where);
    String level = oneOf(node, "level", LEVEL_SET, LEVELS, where);
    List<String> capabilities = capabilities(node, where);

    if (problems.size() > before) {
      return null;
    }
    return new PlanItem(rawId, title, layer, id.group(2), source, Level.valueOf(level), capabilities, steps);
  }

  private Matcher idMatcher(String where, String rawId) {
    if (rawId == null) {
      problems.add(where + ": 'id' is required, a string like L2-FO-001");
      return null;
    }
    Matcher m = ID.matcher(rawId);
    if (!m.matches()) {
      problems.add(where + ": 'id' must look like L{layer}-{AREA}-{NNN} (AREA 2-6 uppercase letters or"
          + " digits starting with a letter, NNN 3 digits, e.g. L2-FO-001), was '" + rawId + "'");
      return null;
    }
    return m;
  }

  private Integer layer(JsonNode node, String where, Matcher id) {
    JsonNode n = node.get("layer");
    if (n == null) {
      problems.add(where + ": 'layer' is required (1, 2 or 3)");
      return null;
    }
    if (!n.isIntegralNumber() || !n.canConvertToInt()) {
      problems.add(where + ": 'layer' must be an integer (1, 2 or 3), was '" + n.asText() + "'");
      return null;
    }
    int layer = n.intValue();
    if (!LAYERS.contains(layer)) {
      problems.add(where + ": 'layer' must be 1, 2 or 3, was " + layer);
    } else if (id != null && Integer.parseInt(id.group(1)) != layer) {
      problems.add(where + ": 'layer' is " + layer + " but the id says layer " + id.group(1));
    }
    return layer;
  }

  private String text(JsonNode node, String key, String where) {
    JsonNode n = node.get(key);
    if (n == null || !n.isTextual() || n.asText().isBlank()) {
      problems.add(where + ": '" + key + "' is required and must be non-blank text");
      return null;
    }
    return n.asText().strip();
  }

  private String oneOf(JsonNode node, String key, Set<String> allowed, List<String> shown, String where) {
    JsonNode n = node.get(key);
    if (n == null || !n.isTextual() || !allowed.contains(n.asText())) {
      String was = n == null ? "missing" : "was '" + n.asText() + "'";
      problems.add(where + ": '" + key + "' must be one of " + String.join(", ", shown) + "; " + was);
      return null;
    }
    return n.asText();
  }

  private List<String> capabilities(JsonNode node, String where) {
    JsonNode n = node.get("capabilities");
    if (n == null || !n.isArray()) {
      problems.add(where + ": 'capabilities' must be a list of capability ids"
          + " (use [] only for items every replicating driver must pass)");
      return null;
    }
    List<String> result = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (JsonNode c : n) {
      String cap = c.isTextual() ? c.asText() : c.toString();
      if (!c.isTextual() || !KNOWN_CAPABILITY_SET.contains(cap)) {
        problems.add(where + ": 'capabilities' contains unknown capability '" + cap
            + "'; known: " + String.join(", ", PlanLoader.KNOWN_CAPABILITIES));
      } else if (!seen.add(cap)) {
        problems.add(where + ": 'capabilities' lists '" + cap + "' twice");
      }
      result.add(cap);
    }
    return result;
  }

  private void unknownKeys(JsonNode node, List<String> allowed, String where) {
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      if (!allowed.contains(key)) {
        String hint = key.equals("area") ? " (the area is derived from the id)" : "";
        problems.add(where + ": unknown key '" + key + "'" + hint + "; expected only "
            + String.join(", ", allowed));
      }
    }
  }

  /** "items[3] (L1-REP-003)", or "items[3] (no id)" when the id is missing or not text. */
  static String label(int index, String id) {
    return "items[" + index + "] (" + (id == null || id.isBlank() ? "no id" : id) + ")";
  }

  /** Names a duplicate key found by {@link DuplicateKeys}, e.g. {@code /items/3/level}. */
  static String describeDuplicate(JsonNode root, String pointer) {
    JsonPointer p = JsonPointer.compile(pointer);
    if (p.matchesProperty("items") && p.tail() != null && p.tail().getMatchingIndex() >= 0
        && p.tail().tail() != null && !p.tail().tail().matches()) {
      int index = p.tail().getMatchingIndex();
      JsonNode id = root == null ? null : root.at("/items/" + index + "/id");
      String idText = id != null && id.isTextual() ? id.asText() : null;
      String key = pointer.substring(pointer.indexOf('/', "/items/".length()) + 1);
      return label(index, idText) + ": duplicate key '" + unescape(key) + "'";
    }
    String key = pointer.substring(pointer.lastIndexOf('/') + 1);
    String where = pointer.lastIndexOf('/') == 0 ? "top level" : "at " + pointer;
    return where + ": duplicate key '" + unescape(key) + "'";
  }

  private static String unescape(String pointerSegment) {
    return pointerSegment.replace("~1", "/").replace("~0", "~");
  }
}
