package dev.replcert.plan;

import java.util.List;
import java.util.Optional;

/** The whole test plan (test-plan/plan.yaml), items in file order. */
public record TestPlan(String version, List<PlanItem> items) {

  public TestPlan {
    items = List.copyOf(items);
  }

  public Optional<PlanItem> item(String id) {
    return items.stream().filter(i -> i.id().equals(id)).findFirst();
  }
}
