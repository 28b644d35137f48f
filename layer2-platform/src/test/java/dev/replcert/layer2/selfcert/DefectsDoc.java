package dev.replcert.layer2.selfcert;

import dev.replcert.harness.selfcert.DefectTable;
import dev.replcert.refdriver.Defect;
import java.lang.reflect.Method;
import java.util.Map;

/**
 * Renders {@link DefectCoverage} for readers: {@code layer2-platform/DEFECTS.md}, one row per
 * catalogued defect with what it breaks and the layer-2 tests that catch it. Generated, never
 * edited by hand; {@link DefectsDocIsCurrentTest} fails when the committed file differs.
 */
final class DefectsDoc {

  static final String REGENERATE_COMMAND =
      "./mvnw -o -pl layer2-platform -am test -Dsurefire.failIfNoSpecifiedTests=false"
          + " -Dtest=DefectsDocIsCurrentTest -Dreplcert.defects.update=true";

  private DefectsDoc() {}

  /** @param tests every layer-2 certification test method by plan id */
  static String render(DefectTable coverage, Map<String, Method> tests) {
    StringBuilder md = new StringBuilder();
    md.append("# Defects the layer-2 suites catch\n\n");
    md.append("The reference driver carries a catalog of switchable defects (`dev.replcert.refdriver.Defect`),\n");
    md.append("each breaking one rule a DR user depends on. Layer 1 catches every one of them at the CSI\n");
    md.append("interface (`layer1-csi/DEFECTS.md`); this table says which ones also break a DR operation run\n");
    md.append("end to end by the bundled orchestrator, and which layer-2 test then fails. With a defect on,\n");
    md.append("the tests listed here must fail (`DefectsAreCaughtTest`); with none, the correct driver must\n");
    md.append("pass every layer-2 test (`CorrectDriverPassesTest`); both run with `-Pselfcert` (see README).\n");
    md.append("The table is the mapping kept in\n");
    md.append("`src/test/java/dev/replcert/layer2/selfcert/DefectCoverage.java`.\n\n");
    md.append("Generated; do not edit. Regenerate with `").append(REGENERATE_COMMAND).append("`.\n\n");
    md.append(coverage.count(DefectTable.Kind.CAUGHT)).append(" of ").append(Defect.values().length)
        .append(" defects are caught by layer 2; ")
        .append(coverage.count(DefectTable.Kind.ELSEWHERE))
        .append(" are a matter for layer 1 only; ")
        .append(coverage.count(DefectTable.Kind.NOT_CAUGHT))
        .append(coverage.count(DefectTable.Kind.NOT_CAUGHT) == 1 ? " is" : " are")
        .append(" DR-relevant but not caught by layer 2 yet. Every defect of the catalog is caught by\n")
        .append("layer 1 or layer 2 (`DefectCoverageTest.everyDefectIsCaughtByLayer1OrLayer2` checks it against\n")
        .append("`layer1-csi/DEFECTS.md`).\n\n");
    md.append("| Defect | What the defective driver does | Rule it breaks | Layer 2 |\n");
    md.append("|---|---|---|---|\n");
    md.append(coverage.markdownRows(DefectCoverage.catalog(), tests,
        kind -> kind == DefectTable.Kind.ELSEWHERE ? "layer 1 only: " : "**not caught by layer 2 yet**: "));
    return md.toString();
  }
}
