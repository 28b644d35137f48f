package dev.replcert.harness.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Makes the file paths in the tree ({@code kubeconfig}, {@code fromFile}) absolute before binding.
 * Maven runs each module's tests in that module's directory, so a path relative to the working
 * directory would mean something different in every module; relative to cert.yaml it means what the
 * vendor sees. {@code ~/} is the user's home, as in a shell.
 */
final class PathResolver {

  private static final Set<String> PATH_KEYS = Set.of("kubeconfig", "fromFile");

  private final Function<String, Path> fromFile;
  private final Function<String, Path> fromOverride;
  private final Set<String> overridden;

  /**
   * @param fromFile resolves a relative path written in cert.yaml
   * @param fromOverride resolves a relative path given as a system property
   * @param overridden key paths set by overrides
   */
  PathResolver(
      Function<String, Path> fromFile,
      Function<String, Path> fromOverride,
      Set<String> overridden) {
    this.fromFile = fromFile;
    this.fromOverride = fromOverride;
    this.overridden = overridden;
  }

  static Function<String, Path> against(Path base) {
    return relative -> base.resolve(relative).normalize();
  }

  void resolve(ObjectNode root) {
    walk(root, "");
  }

  private void walk(JsonNode node, String keyPath) {
    if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        walk(node.get(i), KeyPaths.element(keyPath, i));
      }
      return;
    }
    if (!node.isObject()) {
      return;
    }
    for (Map.Entry<String, JsonNode> field : node.properties()) {
      String path = KeyPaths.child(keyPath, field.getKey());
      if (PATH_KEYS.contains(field.getKey()) && field.getValue().isTextual()) {
        String resolved = absolute(field.getValue().asText(), path);
        if (resolved != null) {
          ((ObjectNode) node).put(field.getKey(), resolved);
        }
      } else {
        walk(field.getValue(), path);
      }
    }
  }

  /** The absolute form, or null to leave the value to the binder (which rejects it). */
  private String absolute(String raw, String keyPath) {
    if (raw.isBlank()) {
      return null;
    }
    try {
      String expanded =
          raw.equals("~") || raw.startsWith("~/")
              ? System.getProperty("user.home") + raw.substring(1)
              : raw;
      Path path = Path.of(expanded);
      if (path.isAbsolute()) {
        return path.normalize().toString();
      }
      boolean byOverride = overridden.stream().anyMatch(o -> KeyPaths.isWithin(keyPath, o));
      return (byOverride ? fromOverride : fromFile).apply(expanded).toString();
    } catch (InvalidPathException e) {
      return null;
    }
  }
}
