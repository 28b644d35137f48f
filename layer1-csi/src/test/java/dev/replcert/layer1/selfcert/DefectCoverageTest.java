package dev.replcert.layer1.selfcert;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The coverage table is complete and names only tests that exist. */
class DefectCoverageTest {

  @Test
  void everyCataloguedDefectHasASoundRow() {
    assertThat(DefectCoverage.table().problems(
            DefectCoverage.catalog().keySet(), Layer1Suites.SUITES.planIndex().keySet()))
        .as("DefectCoverage must say, for every defect of the catalog, which layer-1 tests catch it or why"
            + " none does")
        .isEmpty();
  }
}
