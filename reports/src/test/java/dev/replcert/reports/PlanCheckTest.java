package dev.replcert.reports;

import static dev.replcert.reports.Fixtures.item;
import static dev.replcert.reports.Fixtures.plan;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.replcert.plan.Level;
import dev.replcert.plan.PlanLoader;
import dev.replcert.plan.TestPlan;
import org.junit.jupiter.api.Test;

class PlanCheckTest {

  @Test
  void everyCapabilityOfTheBundledPlanIsKnownToTheHarness() {
    TestPlan bundled = PlanLoader.loadBundled();

    assertThatCode(() -> PlanCheck.requireValid(bundled)).doesNotThrowAnyException();
  }

  @Test
  void duplicateIdsAreRejected() {
    TestPlan plan = plan(item("L1-REP-001", Level.MUST), item("L1-REP-001", Level.SHOULD));

    assertThatThrownBy(() -> PlanCheck.requireValid(plan))
        .hasMessageContaining("L1-REP-001 appears more than once");
  }

  @Test
  void everyUnknownCapabilityIsNamed() {
    TestPlan plan =
        plan(
            item("L1-REP-001", Level.MUST, "warp"),
            item("L2-FO-001", Level.MUST, "replication", "Replication"));

    assertThatThrownBy(() -> PlanCheck.requireValid(plan))
        .hasMessageContaining("L1-REP-001 needs capability 'warp'")
        .hasMessageContaining("L2-FO-001 needs capability 'Replication'");
  }
}
