package dev.replcert.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The committed test-plan/README.md must be what the build renders from plan.yaml. */
class PlanMatrixIsCurrentTest {

  @Test
  void committedReadmeMatchesThePlan() throws IOException {
    Path readme = committedReadme();
    assertThat(readme)
        .withFailMessage("%s is missing; generate it with: %s", readme, MatrixRenderer.REGENERATE_COMMAND)
        .isRegularFile();

    String expected = MatrixRenderer.render(PlanLoader.loadBundled());
    // A checkout with CRLF line ends (git autocrlf) is not stale.
    String actual = Files.readString(readme, StandardCharsets.UTF_8).replace("\r\n", "\n");

    if (!actual.equals(expected)) {
      fail("%s is stale (it is generated from plan.yaml and must not be edited by hand).%n"
          + "Regenerate it with: %s%n%s",
          readme, MatrixRenderer.REGENERATE_COMMAND, firstDifference(expected, actual));
    }
  }

  /** replcert.rootDir (set by surefire to the repository root), else the module directory. */
  private static Path committedReadme() {
    String root = System.getProperty("replcert.rootDir");
    if (root != null && !root.isBlank()) {
      return Path.of(root, "test-plan", "README.md");
    }
    return Path.of(System.getProperty("basedir", "."), "README.md");
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
