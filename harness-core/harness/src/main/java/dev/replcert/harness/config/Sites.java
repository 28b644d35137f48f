package dev.replcert.harness.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A value per managed site. The two sites are always {@code east} and {@code west}; as a record the
 * binder rejects any other key and lists these two.
 */
public record Sites<T>(T east, T west) {

  public static final List<String> IDS = List.of("east", "west");

  /** The value for {@code east} or {@code west}; empty when not configured. */
  public Optional<T> site(String id) {
    return switch (id) {
      case "east" -> Optional.ofNullable(east);
      case "west" -> Optional.ofNullable(west);
      default -> throw new IllegalArgumentException("unknown site; expected one of " + IDS);
    };
  }

  /** The configured sites in order east, west. */
  public Map<String, T> asMap() {
    Map<String, T> map = new LinkedHashMap<>();
    if (east != null) {
      map.put("east", east);
    }
    if (west != null) {
      map.put("west", west);
    }
    return map;
  }
}
