package dev.replcert.layer2.selfcert;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The defects layer 1 catches, read from its generated {@code layer1-csi/DEFECTS.md} (whose own
 * test keeps it equal to layer 1's coverage table): layer 2 needs the answer, not layer 1's test
 * code.
 */
final class Layer1Catalog {

  /** A table row whose "Caught by" cell names a layer-1 plan item. */
  private static final Pattern CAUGHT_ROW = Pattern.compile("^\\| `([A-Z0-9_]+)` \\|.*\\| `L1-[A-Z0-9-]+` [^|]*\\|$");

  private Layer1Catalog() {}

  /** Under replcert.rootDir (set by surefire to the repository root), else beside this module. */
  static Path file() {
    String root = System.getProperty("replcert.rootDir");
    Path repository =
        root != null && !root.isBlank()
            ? Path.of(root)
            : Path.of(System.getProperty("basedir", ".")).toAbsolutePath().getParent();
    return repository.resolve(Path.of("layer1-csi", "DEFECTS.md"));
  }

  /** Catalog ids of the defects some layer-1 test catches. */
  static Set<String> caughtByLayer1() throws IOException {
    Set<String> caught = new TreeSet<>();
    for (String line : Files.readAllLines(file(), StandardCharsets.UTF_8)) {
      Matcher row = CAUGHT_ROW.matcher(line);
      if (row.matches()) {
        caught.add(row.group(1));
      }
    }
    return caught;
  }
}
