package dev.replcert.harness.config;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * cert.yaml as a tree plus the line and column of every key. Binding works on the tree (so
 * system-property overrides can be applied first), which has no positions; this index puts them
 * back into error messages. The same pass rejects what Jackson would accept silently: duplicate
 * keys, YAML aliases and a second document.
 */
final class YamlDocument {

  private static final String EXPECTED_TOP =
      "expected a mapping that starts with apiVersion: "
          + CertificationConfig.API_VERSION
          + " and kind: "
          + CertificationConfig.KIND;

  private final String source;
  private final ObjectNode root;
  private final Map<String, JsonLocation> locations;

  private YamlDocument(String source, ObjectNode root, Map<String, JsonLocation> locations) {
    this.source = source;
    this.root = root;
    this.locations = locations;
  }

  /** Reads and indexes the file; every way it can be unusable is a {@link ConfigException}. */
  static YamlDocument read(Path file) {
    String source = file.toString();
    if (!Files.exists(file)) {
      throw fail(source, "file not found; expected a readable cert.yaml (see -Dcert.config)");
    }
    if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
      throw fail(source, "not a readable file; expected a readable cert.yaml");
    }
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      throw fail(source, "cannot read the file; expected a readable cert.yaml");
    }
    Indexer indexer = new Indexer(source);
    indexer.index(bytes);
    if (!indexer.problems.isEmpty()) {
      throw new ConfigException(indexer.problems);
    }
    JsonNode tree;
    try {
      tree = ConfigMapper.MAPPER.readTree(bytes);
    } catch (IOException e) {
      throw fail(source, "not valid YAML; " + EXPECTED_TOP); // the indexer read it, so unlikely
    }
    if (tree == null || tree.isMissingNode() || tree.isNull()) {
      throw fail(source, "the file is empty; " + EXPECTED_TOP);
    }
    if (!tree.isObject()) {
      throw new ConfigException(
          List.of(
              new ConfigProblem(
                  indexer.at(indexer.locations.get("")),
                  KeyPaths.DOCUMENT,
                  "the top level is not a mapping; " + EXPECTED_TOP)));
    }
    return new YamlDocument(source, (ObjectNode) tree, indexer.locations);
  }

  ObjectNode root() {
    return root;
  }

  /** {@code file:line:col} of the key, or of its nearest enclosing key that is in the file. */
  String locate(String keyPath) {
    for (String p = keyPath; ; p = KeyPaths.parent(p)) {
      JsonLocation location = locations.get(p);
      if (location != null && !p.isEmpty()) {
        return source + ":" + location.getLineNr() + ":" + location.getColumnNr();
      }
      if (p.isEmpty()) {
        return source;
      }
    }
  }

  private static ConfigException fail(String source, String expected) {
    return new ConfigException(List.of(new ConfigProblem(source, KeyPaths.DOCUMENT, expected)));
  }

  /** One streaming pass over the YAML events, tracking the key path of each. */
  private static final class Indexer {
    private final String source;
    final Map<String, JsonLocation> locations = new HashMap<>();
    final List<ConfigProblem> problems = new ArrayList<>();
    private final Deque<Frame> stack = new ArrayDeque<>();

    Indexer(String source) {
      this.source = source;
    }

    void index(byte[] bytes) {
      try (JsonParser p = ConfigMapper.MAPPER.getFactory().createParser(bytes)) {
        boolean sawRoot = false;
        for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
          if (sawRoot) {
            problems.add(
                new ConfigProblem(
                    at(p.currentTokenLocation()),
                    KeyPaths.DOCUMENT,
                    "a second YAML document; expected exactly one (remove the '---' separator)"));
            return;
          }
          sawRoot = step(p, t);
        }
      } catch (IOException | RuntimeException e) {
        // Never the parser's message: it quotes the offending line, which may hold a secret.
        JsonLocation location =
            e instanceof JacksonException je ? je.getLocation() : null;
        problems.add(
            new ConfigProblem(
                at(location),
                currentPath(),
                "YAML syntax error; expected well-formed YAML (check indentation, a missing ':'"
                    + " after a key, and unclosed quotes or brackets)"));
      }
    }

    /** Handles one token; true when the root value is complete. */
    private boolean step(JsonParser p, JsonToken t) throws IOException {
      if (t == JsonToken.FIELD_NAME) {
        Frame frame = stack.element();
        String path = KeyPaths.child(frame.path, p.currentName());
        if (!frame.keys.add(p.currentName())) {
          problems.add(
              new ConfigProblem(
                  at(p.currentTokenLocation()),
                  path,
                  "duplicate key; expected each key once (the later one would silently win)"));
        } else {
          locations.put(path, p.currentTokenLocation());
        }
        frame.field = path;
        return false;
      }
      if (t == JsonToken.END_OBJECT || t == JsonToken.END_ARRAY) {
        stack.pop();
        return stack.isEmpty();
      }
      String path = valuePath(p);
      if (p instanceof YAMLParser yaml && yaml.isCurrentAlias()) {
        problems.add(
            new ConfigProblem(
                at(p.currentTokenLocation()),
                path.isEmpty() ? KeyPaths.DOCUMENT : path,
                "a YAML alias (*name); expected the value written out"));
      }
      if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
        stack.push(new Frame(path, t == JsonToken.START_ARRAY));
        return false;
      }
      return stack.isEmpty(); // a scalar at the top level
    }

    private String valuePath(JsonParser p) {
      Frame parent = stack.peek();
      if (parent == null) {
        locations.putIfAbsent("", p.currentTokenLocation());
        return "";
      }
      if (!parent.array) {
        return parent.field;
      }
      String path = KeyPaths.element(parent.path, parent.nextIndex++);
      locations.put(path, p.currentTokenLocation());
      return path;
    }

    private String currentPath() {
      Frame top = stack.peek();
      if (top == null) {
        return KeyPaths.DOCUMENT;
      }
      String path = top.array || top.field == null ? top.path : top.field;
      return path.isEmpty() ? KeyPaths.DOCUMENT : path;
    }

    String at(JsonLocation location) {
      return location == null || location.getLineNr() < 1
          ? source
          : source + ":" + location.getLineNr() + ":" + location.getColumnNr();
    }
  }

  private static final class Frame {
    final String path;
    final boolean array;
    final Set<String> keys = new HashSet<>();
    String field;
    int nextIndex;

    Frame(String path, boolean array) {
      this.path = path;
      this.array = array;
    }
  }
}
