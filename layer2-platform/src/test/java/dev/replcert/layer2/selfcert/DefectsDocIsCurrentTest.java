package dev.replcert.layer2.selfcert;

import dev.replcert.harness.selfcert.GeneratedDoc;
import org.junit.jupiter.api.Test;

/**
 * The committed {@code layer2-platform/DEFECTS.md} must be what {@link DefectsDoc} renders from the
 * coverage table; {@code -Dreplcert.defects.update=true} rewrites it instead.
 */
class DefectsDocIsCurrentTest {

  @Test
  void committedDefectsTableMatchesTheCoverageTable() {
    new GeneratedDoc(
            GeneratedDoc.inModule("layer2-platform", "DEFECTS.md"),
            DefectsDoc.REGENERATE_COMMAND,
            "replcert.defects.update")
        .check(DefectsDoc.render(DefectCoverage.table(), Layer2Suites.SUITES.planIndex()));
  }
}
