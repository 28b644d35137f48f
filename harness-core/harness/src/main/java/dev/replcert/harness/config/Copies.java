package dev.replcert.harness.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Immutable copies for record components. Unlike {@code List.copyOf} they keep null elements (so
 * the validator can point at {@code pause[1]} instead of the binder failing on a bare NPE) and keep
 * the order the vendor wrote.
 */
final class Copies {

  private Copies() {}

  static <T> List<T> list(List<T> list) {
    return list == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(list));
  }

  /** Null stays null: an absent command is "not configured", an empty one is an error. */
  static <T> List<T> listOrNull(List<T> list) {
    return list == null ? null : Collections.unmodifiableList(new ArrayList<>(list));
  }

  static <K, V> Map<K, V> map(Map<K, V> map) {
    return map == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(map));
  }
}
