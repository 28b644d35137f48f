package dev.replcert.layer1.selfcert;

import static org.assertj.core.api.Assertions.assertThat;

import dev.replcert.refdriver.Defect;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The coverage table is complete and names only tests that exist. */
class DefectCoverageTest {

  @Test
  void everyCataloguedDefectHasARow() {
    assertThat(DefectCoverage.table().keySet())
        .as("DefectCoverage must say, for every defect of the catalog, which tests catch it or why none does")
        .containsExactlyInAnyOrder(Defect.values());
  }

  @Test
  void everyRowNamesItsCatchersOrItsReason() {
    for (DefectCoverage.Entry entry : DefectCoverage.table().values()) {
      if (entry.caught()) {
        assertThat(entry.planIds()).as("plan ids catching %s", entry.defect()).isNotEmpty();
      } else {
        assertThat(entry.reason()).as("why no layer-1 test catches %s", entry.defect()).isNotBlank();
        assertThat(entry.planIds()).as("plan ids of %s, which is not caught", entry.defect()).isEmpty();
      }
    }
  }

  @Test
  void everyMappedPlanIdIsALayer1Test() {
    Set<String> tests = Layer1Suites.SUITES.planIndex().keySet();
    Set<String> mapped = new TreeSet<>();
    DefectCoverage.table().values().forEach(e -> mapped.addAll(e.planIds()));
    assertThat(tests).as("layer-1 certification tests (plan ids)").containsAll(mapped);
  }
}
