package dev.replcert.plan;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Build step (exec-maven-plugin, phase process-classes): renders the plan matrix.
 *
 * <p>Always writes the generated copy under target/; overwrites the committed README only when
 * asked ({@code -Dreplcert.plan.update=true}), so an ordinary build never dirties the work tree.
 * Runs inside the Maven JVM, so it reports failure by throwing, never by System.exit.
 *
 * <p>Arguments: {@code <plan.yaml> <generated README> <committed README> <update: true|false>}.
 */
public final class MatrixMain {

  private MatrixMain() {}

  public static void main(String[] args) throws IOException {
    if (args.length != 4) {
      throw new IllegalArgumentException(
          "usage: MatrixMain <plan.yaml> <generated README> <committed README> <update: true|false>");
    }
    String markdown = MatrixRenderer.render(PlanLoader.load(Path.of(args[0])));
    Path generated = Path.of(args[1]);
    Path committed = Path.of(args[2]);
    boolean update = Boolean.parseBoolean(args[3]);

    write(generated, markdown);
    boolean current = Files.isRegularFile(committed)
        && Files.readString(committed, StandardCharsets.UTF_8).equals(markdown);
    if (update && !current) {
      write(committed, markdown);
      System.out.println("[replcert] updated " + committed);
    } else if (!current) {
      // The test phase fails on this too; saying it here helps builds that skip tests.
      System.err.println("[replcert] " + committed + " is stale; regenerate with: "
          + MatrixRenderer.REGENERATE_COMMAND);
    }
  }

  private static void write(Path file, String text) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    Files.writeString(file, text, StandardCharsets.UTF_8);
  }
}
