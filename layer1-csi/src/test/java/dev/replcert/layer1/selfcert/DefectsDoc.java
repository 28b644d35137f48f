package dev.replcert.layer1.selfcert;

import dev.replcert.harness.selfcert.DefectTable;
import dev.replcert.refdriver.Defect;
import java.lang.reflect.Method;
import java.util.Map;

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
  static String render(DefectTable coverage, Map<String, Method> tests) {
    StringBuilder md = new StringBuilder();
    md.append("# Defects the layer-1 suites catch\n\n");
    md.append("The reference driver carries a catalog of switchable defects (`dev.replcert.refdriver.Defect`),\n");
    md.append("each breaking one rule a DR user depends on. The harness certifies itself against them: with a\n");
    md.append("defect on, the layer-1 tests listed here must fail (`DefectsAreCaughtTest`), and with none the\n");
    md.append("correct driver must pass every test (`CorrectDriverPassesTest`). The table is the mapping kept\n");
    md.append("in `src/test/java/dev/replcert/layer1/selfcert/DefectCoverage.java`.\n\n");
    md.append("Generated; do not edit. Regenerate with `").append(REGENERATE_COMMAND).append("`.\n\n");
    md.append(coverage.count(DefectTable.Kind.CAUGHT)).append(" of ").append(Defect.values().length)
        .append(" defects are caught by layer 1; ")
        .append(coverage.count(DefectTable.Kind.ELSEWHERE)).append(" are not observable by layer 1; ")
        .append(coverage.count(DefectTable.Kind.NOT_CAUGHT)).append(" are not caught yet.\n\n");
    md.append("| Defect | What the defective driver does | Rule it breaks | Caught by |\n");
    md.append("|---|---|---|---|\n");
    md.append(coverage.markdownRows(DefectCoverage.catalog(), tests,
        kind -> kind == DefectTable.Kind.ELSEWHERE ? "not observable by layer 1: " : "**not caught yet**: "));
    return md.toString();
  }
}
