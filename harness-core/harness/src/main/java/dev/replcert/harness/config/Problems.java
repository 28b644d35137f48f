package dev.replcert.harness.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Collects problems during one load and says where each value came from: the system property that
 * overrode it, else the file (with the line of the key, or of its nearest enclosing key when the
 * key is missing), else the built-in defaults.
 */
final class Problems {

  static final String DEFAULTS = "defaults";

  private final YamlDocument document; // null when no file was given
  private final Map<String, String> overrideSources = new TreeMap<>();
  private final List<ConfigProblem> problems = new ArrayList<>();
  private final List<String> bindingFailures = new ArrayList<>();

  Problems(YamlDocument document, Map<String, String> overrideSources) {
    this.document = document;
    this.overrideSources.putAll(overrideSources);
  }

  /** A problem found after binding. Dropped if binding already reported the same key. */
  void add(String keyPath, String expected) {
    for (String failed : bindingFailures) {
      if (KeyPaths.isWithin(keyPath, failed) || KeyPaths.isWithin(failed, keyPath)) {
        return; // "required" after a type error on the same key would only repeat it
      }
    }
    addAt(sourceOf(keyPath), keyPath, expected);
  }

  void addBindingFailure(String keyPath, String expected) {
    bindingFailures.add(keyPath);
    addAt(sourceOf(keyPath), keyPath, expected);
  }

  /** Whether binding failed at this key (so checks that depend on its value must not run). */
  boolean bindingFailed(String keyPath) {
    return bindingFailures.contains(keyPath);
  }

  void addAt(String source, String keyPath, String expected) {
    problems.add(new ConfigProblem(source, keyPath, expected));
  }

  String sourceOf(String keyPath) {
    String overridden = null;
    String overriddenKey = null;
    for (Map.Entry<String, String> e : overrideSources.entrySet()) {
      // An override of driver.endpoints and one of driver.endpoints.east.csi both contain
      // driver.endpoints.east.csi; the innermost one set it.
      if (KeyPaths.isWithin(keyPath, e.getKey())
          && (overridden == null || e.getKey().length() > overriddenKey.length())) {
        overridden = e.getValue();
        overriddenKey = e.getKey();
      }
    }
    if (overridden != null) {
      return overridden;
    }
    return document == null ? DEFAULTS : document.locate(keyPath);
  }

  void throwIfAny() {
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
  }
}
