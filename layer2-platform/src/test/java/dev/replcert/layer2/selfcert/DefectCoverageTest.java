package dev.replcert.layer2.selfcert;

import static org.assertj.core.api.Assertions.assertThat;

import dev.replcert.harness.selfcert.DefectTable;
import java.io.IOException;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The layer-2 coverage table is sound, and no defect of the catalog is left to nobody. */
class DefectCoverageTest {

  @Test
  void everyCataloguedDefectHasASoundRow() {
    assertThat(DefectCoverage.table().problems(
            DefectCoverage.catalog().keySet(), Layer2Suites.SUITES.planIndex().keySet()))
        .as("layer 2's DefectCoverage must say, for every defect of the catalog, which layer-2 tests catch it"
            + " or why none does")
        .isEmpty();
  }

  /** Issue 7: together, layers 1 and 2 catch 100 % of the catalog. */
  @Test
  void everyDefectIsCaughtByLayer1OrLayer2() throws IOException {
    Set<String> caught = new TreeSet<>(Layer1Catalog.caughtByLayer1());
    DefectCoverage.table().rows().values().stream()
        .filter(DefectTable.Row::caught)
        .forEach(row -> caught.add(row.defect()));
    assertThat(caught)
        .as("defects caught by layer 1 (%s) or layer 2 (DefectCoverage)", Layer1Catalog.file())
        .containsAll(DefectCoverage.catalog().keySet());
  }

  /** A defect left to layer 1 must really be caught there. */
  @Test
  void everyDefectLeftToLayer1IsCaughtByLayer1() throws IOException {
    Set<String> caughtByLayer1 = Layer1Catalog.caughtByLayer1();
    DefectCoverage.table().rows().values().stream()
        .filter(row -> row.kind() == DefectTable.Kind.ELSEWHERE)
        .forEach(row -> assertThat(caughtByLayer1)
            .as("%s is left to layer 1 (%s), so %s must list a layer-1 test catching it",
                row.defect(), row.reason(), Layer1Catalog.file())
            .contains(row.defect()));
  }
}
