package dev.replcert.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class MatrixRendererTest {

  private static final TestPlan PLAN =
      new TestPlan(
          "7",
          List.of(
              item("L1-REP-001", 1, "REP", Level.MUST, List.of("replication")),
              item("L1-REP-002", 1, "REP", Level.SHOULD, List.of("replication", "resync")),
              item("L1-ID-001", 1, "ID", Level.MUST, List.of()),
              item("L2-FO-001", 2, "FO", Level.MAY, List.of("force-promote"))));

  @Test
  void headerSaysGeneratedAndHowToRegenerate() {
    String md = MatrixRenderer.render(PLAN);

    assertThat(md).startsWith("<!-- GENERATED FILE: do not edit.")
        .contains("    " + MatrixRenderer.REGENERATE_COMMAND + "\n")
        .contains("Plan version 7: 4 items.");
  }

  @Test
  void summaryCountsItemsPerLayerAndLevel() {
    String md = MatrixRenderer.render(PLAN);

    assertThat(md).contains("| Layer 1: CSI driver and csi-addons objects | 2 | 1 | 0 | 3 |")
        .contains("| Layer 2: DR operations through the orchestrator | 0 | 0 | 1 | 1 |")
        .contains("| **All layers** | 2 | 1 | 1 | 4 |");
  }

  @Test
  void matrixCountsPerAreaInPlanOrder() {
    String md = MatrixRenderer.render(PLAN);

    assertThat(md).contains("| 1 | REP | replication RPCs | 1 | 1 | 0 | 2 |")
        .contains("| 1 | ID | csi-addons Identity | 1 | 0 | 0 | 1 |");
    assertThat(md.indexOf("| 1 | REP |")).isLessThan(md.indexOf("| 1 | ID |"));
  }

  @Test
  void everyItemIsListedUnderItsLayerWithEscapedCells() {
    TestPlan plan = new TestPlan("1", List.of(
        new PlanItem("L3-VM-001", "Boots | runs", 3, "VM", "CNV", Level.MUST, List.of(), "s")));

    String md = MatrixRenderer.render(plan);

    assertThat(md).contains("## Layer 3: Virtual machines (CNV)")
        .contains("| L3-VM-001 | Boots \\| runs | CNV | MUST | (none) |");
  }

  @Test
  void renderingIsDeterministic() {
    assertThat(MatrixRenderer.render(PLAN)).isEqualTo(MatrixRenderer.render(PLAN));
    assertThat(MatrixRenderer.render(PLAN)).doesNotContain("\r");
  }

  private static PlanItem item(String id, int layer, String area, Level level, List<String> caps) {
    return new PlanItem(id, "Title of " + id, layer, area, "replcert", level, caps, "steps");
  }
}
