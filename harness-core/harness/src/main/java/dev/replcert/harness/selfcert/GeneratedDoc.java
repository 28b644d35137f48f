package dev.replcert.harness.selfcert;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A committed file generated from code (a layer's {@code DEFECTS.md}): a test checks it is what
 * the code renders now, or rewrites it when asked, so the file can never drift from its source.
 *
 * @param file the committed file
 * @param regenerateCommand the command that rewrites it, for the failure message
 * @param updateProperty the system property that makes {@link #check} rewrite instead of compare
 */
public record GeneratedDoc(Path file, String regenerateCommand, String updateProperty) {

  /**
   * {@code fileName} of module directory {@code module}: under replcert.rootDir (set by surefire
   * to the repository root), else in the module directory the test runs in.
   */
  public static Path inModule(String module, String fileName) {
    String root = System.getProperty("replcert.rootDir");
    if (root != null && !root.isBlank()) {
      return Path.of(root, module, fileName);
    }
    return Path.of(System.getProperty("basedir", "."), fileName);
  }

  /** Fails unless the committed file is {@code expected}; rewrites it if the update property is true. */
  public void check(String expected) {
    try {
      if (Boolean.getBoolean(updateProperty)) {
        Files.writeString(file, expected, StandardCharsets.UTF_8);
        System.out.println("[replcert] updated " + file);
        return;
      }
      if (!Files.isRegularFile(file)) {
        throw new AssertionError(file + " is missing; generate it with: " + regenerateCommand);
      }
      // a checkout with CRLF line ends (git autocrlf) is not stale
      String actual = Files.readString(file, StandardCharsets.UTF_8).replace("\r\n", "\n");
      if (!actual.equals(expected)) {
        throw new AssertionError(
            file + " is stale (it is generated; do not edit it by hand).\nRegenerate it with: " + regenerateCommand
                + "\n" + firstDifference(expected, actual));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String firstDifference(String expected, String actual) {
    String[] want = expected.split("\n", -1);
    String[] have = actual.split("\n", -1);
    for (int i = 0; i < Math.max(want.length, have.length); i++) {
      String w = i < want.length ? want[i] : "<end of file>";
      String h = i < have.length ? have[i] : "<end of file>";
      if (!w.equals(h)) {
        return "first difference at line " + (i + 1) + ":\n  expected: " + w + "\n  found:    " + h;
      }
    }
    return "";
  }
}
