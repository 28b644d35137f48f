package dev.replcert.layer1.selfcert;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The committed {@code layer1-csi/DEFECTS.md} must be what {@link DefectsDoc} renders from the
 * coverage table; {@code -Dreplcert.defects.update=true} rewrites it instead.
 */
class DefectsDocIsCurrentTest {

  @Test
  void committedDefectsTableMatchesTheCoverageTable() throws IOException {
    Path committed = committedFile();
    String expected = DefectsDoc.render(DefectCoverage.table(), Layer1Suites.SUITES.planIndex());
    if (Boolean.getBoolean("replcert.defects.update")) {
      Files.writeString(committed, expected, StandardCharsets.UTF_8);
      System.out.println("[replcert] updated " + committed);
      return;
    }
    if (!Files.isRegularFile(committed)) {
      fail("%s is missing; generate it with: %s", committed, DefectsDoc.REGENERATE_COMMAND);
    }
    // a checkout with CRLF line ends (git autocrlf) is not stale
    String actual = Files.readString(committed, StandardCharsets.UTF_8).replace("\r\n", "\n");
    if (!actual.equals(expected)) {
      fail("%s is stale (it is generated from DefectCoverage and the defect catalog; do not edit it by"
              + " hand).%nRegenerate it with: %s%n%s",
          committed, DefectsDoc.REGENERATE_COMMAND, firstDifference(expected, actual));
    }
  }

  /** replcert.rootDir (set by surefire to the repository root), else the module directory. */
  private static Path committedFile() {
    String root = System.getProperty("replcert.rootDir");
    if (root != null && !root.isBlank()) {
      return Path.of(root, "layer1-csi", "DEFECTS.md");
    }
    return Path.of(System.getProperty("basedir", "."), "DEFECTS.md");
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
