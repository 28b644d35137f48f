package dev.replcert.harness.config;

import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonMappingException.Reference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * Binds the tree to {@link CertificationConfig}. Jackson stops at the first error, so after each
 * one the offending key is recorded, removed from the tree, and binding runs again: a file with a
 * typo in three places gets three lines in one message, not three round trips.
 */
final class TreeBinder {

  /** More problems than this in one file means the file is not a cert.yaml at all. */
  private static final int MAX_ATTEMPTS = 50;

  private TreeBinder() {}

  /** The bound config (possibly with failed keys removed), or null if it could not be bound. */
  static CertificationConfig bind(ObjectNode tree, Map<String, String> env, Problems problems) {
    for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      try {
        return ConfigMapper.reader(env).readValue(tree);
      } catch (JsonMappingException e) {
        List<Reference> path = e.getPath();
        String keyPath = path.isEmpty() ? KeyPaths.DOCUMENT : KeyPaths.of(path);
        problems.addBindingFailure(keyPath, Expectations.of(e, path));
        if (!remove(tree, path)) {
          return null;
        }
      } catch (IOException | RuntimeException e) {
        // Without a path there is nothing to point at or remove; still never the message.
        problems.addBindingFailure(
            KeyPaths.DOCUMENT, "expected every value to have its key's type; one could not be read");
        return null;
      }
    }
    return null;
  }

  /**
   * Removes the innermost mapping key on {@code path}. For a bad list element that is the whole
   * list: removing one element would shift the indexes of later problems.
   */
  private static boolean remove(ObjectNode tree, List<Reference> path) {
    int lastKey = -1;
    for (int i = 0; i < path.size(); i++) {
      if (path.get(i).getFieldName() != null) {
        lastKey = i;
      }
    }
    if (lastKey < 0) {
      return false;
    }
    JsonNode parent = tree;
    for (int i = 0; i < lastKey && parent != null; i++) {
      Reference ref = path.get(i);
      parent =
          ref.getFieldName() != null ? parent.get(ref.getFieldName()) : parent.get(ref.getIndex());
    }
    return parent instanceof ObjectNode object
        && object.remove(path.get(lastKey).getFieldName()) != null;
  }
}
