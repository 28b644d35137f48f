package dev.replcert.layer1.selfcert;

import dev.replcert.harness.selfcert.GeneratedDoc;
import org.junit.jupiter.api.Test;

/**
 * The committed {@code layer1-csi/DEFECTS.md} must be what {@link DefectsDoc} renders from the
 * coverage table; {@code -Dreplcert.defects.update=true} rewrites it instead.
 */
class DefectsDocIsCurrentTest {

  @Test
  void committedDefectsTableMatchesTheCoverageTable() {
    new GeneratedDoc(
            GeneratedDoc.inModule("layer1-csi", "DEFECTS.md"), DefectsDoc.REGENERATE_COMMAND, "replcert.defects.update")
        .check(DefectsDoc.render(DefectCoverage.table(), Layer1Suites.SUITES.planIndex()));
  }
}
