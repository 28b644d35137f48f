package dev.replcert.harness.config;

import com.fasterxml.jackson.databind.JsonMappingException.Reference;
import java.util.List;

/**
 * Key paths as users read and write them: {@code driver.endpoints.east.csi}, {@code
 * s3Profiles[1].bucket}. One spelling for error messages, the location index and overrides.
 */
final class KeyPaths {

  /** The key path of a problem that concerns the whole document rather than one key. */
  static final String DOCUMENT = "(document)";

  private KeyPaths() {}

  static String child(String parent, String key) {
    return parent.isEmpty() ? key : parent + "." + key;
  }

  static String element(String parent, int index) {
    return parent + "[" + index + "]";
  }

  static String of(List<Reference> path) {
    String keyPath = "";
    for (Reference ref : path) {
      keyPath =
          ref.getFieldName() != null
              ? child(keyPath, ref.getFieldName())
              : element(keyPath, ref.getIndex());
    }
    return keyPath;
  }

  /** The enclosing path ({@code a.b[2]} for {@code a.b[2].c}), "" at the top. */
  static String parent(String keyPath) {
    int cut = Math.max(keyPath.lastIndexOf('.'), keyPath.lastIndexOf('['));
    return cut < 0 ? "" : keyPath.substring(0, cut);
  }

  /** Whether {@code descendant} is {@code ancestor} or lies below it. */
  static boolean isWithin(String descendant, String ancestor) {
    return descendant.equals(ancestor)
        || ancestor.isEmpty()
        || descendant.startsWith(ancestor + ".")
        || descendant.startsWith(ancestor + "[");
  }
}
