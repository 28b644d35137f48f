package dev.replcert.layer1.selfcert;

import dev.replcert.refdriver.Defect;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Renders {@link DefectCoverage} for readers: {@code layer1-csi/DEFECTS.md}, one row per catalogued
 * defect with what it breaks and the tests that catch it. Generated, never edited by hand; {@link
 * DefectsDocIsCurrentTest} fails when the committed file differs.
 */
final class DefectsDoc {

  static final String REGENERATE_COMMAND =
      "./mvnw -o -pl layer1-csi test -Dtest=DefectsDocIsCurrentTest -Dreplcert.defects.update=true";

  private DefectsDoc() {}

  /** @param tests every layer-1 certification test method by plan id */
  static String render(Map<Defect, DefectCoverage.Entry> coverage, Map<String, Method> tests) {
    Map<DefectCoverage.Kind, Long> kinds =
        coverage.values().stream().collect(Collectors.groupingBy(DefectCoverage.Entry::kind, Collectors.counting()));
    StringBuilder md = new StringBuilder();
    md.append("# Defects the layer-1 suites catch\n\n");
    md.append("The reference driver carries a catalog of switchable defects (`dev.replcert.refdriver.Defect`),\n");
    md.append("each breaking one rule a DR user depends on. The harness certifies itself against them: with a\n");
    md.append("defect on, the layer-1 tests listed here must fail (`DefectsAreCaughtTest`), and with none the\n");
    md.append("correct driver must pass every test (`CorrectDriverPassesTest`). The table is the mapping kept\n");
    md.append("in `src/test/java/dev/replcert/layer1/selfcert/DefectCoverage.java`.\n\n");
    md.append("Generated; do not edit. Regenerate with `").append(REGENERATE_COMMAND).append("`.\n\n");
    md.append(kinds.getOrDefault(DefectCoverage.Kind.CAUGHT, 0L)).append(" of ").append(Defect.values().length)
        .append(" defects are caught by layer 1; ")
        .append(kinds.getOrDefault(DefectCoverage.Kind.NOT_OBSERVABLE, 0L)).append(" are not observable by layer 1; ")
        .append(kinds.getOrDefault(DefectCoverage.Kind.NOT_CAUGHT, 0L)).append(" are not caught yet.\n\n");
    md.append("| Defect | What the defective driver does | Rule it breaks | Caught by |\n");
    md.append("|---|---|---|---|\n");
    for (Defect defect : Defect.values()) {
      DefectCoverage.Entry entry = coverage.get(defect);
      md.append("| `").append(defect.name()).append("` | ")
          .append(cell(defect.description())).append(" | ")
          .append(cell(defect.rule())).append(" | ")
          .append(entry == null ? "(no entry)" : caughtBy(entry, tests)).append(" |\n");
    }
    return md.toString();
  }

  private static String caughtBy(DefectCoverage.Entry entry, Map<String, Method> tests) {
    switch (entry.kind()) {
      case NOT_OBSERVABLE:
        return "not observable by layer 1: " + cell(entry.reason());
      case NOT_CAUGHT:
        return "**not caught yet**: " + cell(entry.reason());
      default:
        break;
    }
    return entry.planIds().stream()
        .map(id -> "`" + id + "` " + test(tests.get(id)))
        .collect(Collectors.joining("<br>"));
  }

  private static String test(Method method) {
    return method == null
        ? "(no such test)"
        : method.getDeclaringClass().getSimpleName() + "." + method.getName();
  }

  private static String cell(String text) {
    return text.replace("|", "\\|").replace("\n", " ");
  }
}
