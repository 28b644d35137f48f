package dev.replcert.plan;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Checks the suites against the plan: which plan ids have a test, which annotations name ids the
 * plan does not know, and which ids are claimed by two tests (the report could not say which one
 * certifies the item).
 *
 * <p>Reads the Java sources of the suite modules (every {@code layer*} directory directly under the
 * repository root, its {@code src/main/java} and {@code src/test/java}) as text: this module
 * cannot depend on the suites, and a source scan also catches tests that are disabled or never
 * run. Ids must be string literals so that this scan can see them.
 */
public final class PlanCoverage {

  /** {@code @PlanItem(} or a qualified {@code @dev.replcert...PlanItem(}. */
  private static final Pattern ANNOTATION =
      Pattern.compile("@(?:[A-Za-z_$][\\w$]*\\s*\\.\\s*)*PlanItem\\s*\\(");

  /** After the '(': an optional {@code value =}, one string literal, then ')' or ','. */
  private static final Pattern LITERAL_ARGUMENT =
      Pattern.compile("\\s*(?:value\\s*=\\s*)?\"((?:[^\"\\\\\\r\\n]|\\\\.)*)\"\\s*[),]");

  private static final List<String> SOURCE_ROOTS = List.of("src/main/java", "src/test/java");

  private PlanCoverage() {}

  public static CoverageResult scan(Path repoRoot, TestPlan plan) {
    Map<String, List<String>> places = new TreeMap<>();
    List<String> problems = new ArrayList<>();
    for (Path file : sourceFiles(repoRoot)) {
      scanFile(repoRoot, file, places, problems);
    }
    places.forEach((id, where) -> {
      if (plan.item(id).isEmpty()) {
        problems.add("unknown plan id '" + id + "' at " + String.join(", ", where));
      }
    });
    places.forEach((id, where) -> {
      if (where.size() > 1) {
        problems.add("plan id used twice: " + id + " at " + String.join(", ", where));
      }
    });
    List<String> notImplemented = plan.items().stream()
        .map(PlanItem::id)
        .filter(id -> !places.containsKey(id))
        .collect(Collectors.toList());
    return new CoverageResult(places, problems, notImplemented);
  }

  private static void scanFile(
      Path repoRoot, Path file, Map<String, List<String>> places, List<String> problems) {
    String text;
    try {
      text = JavaComments.blank(Files.readString(file, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    String name = repoRoot.relativize(file).toString().replace('\\', '/');
    Matcher annotation = ANNOTATION.matcher(text);
    Matcher literal = LITERAL_ARGUMENT.matcher(text);
    while (annotation.find()) {
      String place = name + ":" + lineOf(text, annotation.start());
      literal.region(annotation.end(), text.length());
      if (literal.lookingAt()) {
        places.computeIfAbsent(literal.group(1), id -> new ArrayList<>()).add(place);
      } else {
        problems.add("plan ids must be string literals: " + place + ": "
            + snippet(text, annotation.start()));
      }
    }
  }

  /** Java files under layer&#42;/src/{main,test}/java, sorted so results are stable. */
  private static List<Path> sourceFiles(Path repoRoot) {
    List<Path> files = new ArrayList<>();
    try (Stream<Path> modules = Files.list(repoRoot)) {
      List<Path> layers = modules
          .filter(Files::isDirectory)
          .filter(p -> p.getFileName().toString().startsWith("layer"))
          .sorted()
          .collect(Collectors.toList());
      for (Path module : layers) {
        for (String root : SOURCE_ROOTS) {
          Path dir = module.resolve(root);
          if (Files.isDirectory(dir)) {
            try (Stream<Path> walk = Files.walk(dir)) {
              walk.filter(p -> p.toString().endsWith(".java") && Files.isRegularFile(p))
                  .sorted()
                  .forEach(files::add);
            }
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list suite sources under " + repoRoot, e);
    }
    return files;
  }

  private static int lineOf(String text, int offset) {
    int line = 1;
    for (int i = 0; i < offset; i++) {
      if (text.charAt(i) == '\n') {
        line++;
      }
    }
    return line;
  }

  private static String snippet(String text, int from) {
    int end = text.indexOf(')', from);
    int eol = text.indexOf('\n', from);
    int stop = Math.min(end < 0 ? text.length() : end + 1, eol < 0 ? text.length() : eol);
    return text.substring(from, stop).strip();
  }
}
