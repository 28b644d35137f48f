package dev.replcert.reports;

import dev.replcert.harness.config.Capability;
import dev.replcert.plan.PlanItem;
import dev.replcert.plan.TestPlan;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Checks the plan is one the evaluation can trust. A capability id the harness does not know could
 * never be claimed, so its items would always count as "skipped by capability" and silently drop
 * out of the verdict; better to refuse the plan.
 */
public final class PlanCheck {

  private PlanCheck() {}

  /** Throws IllegalArgumentException listing every problem found. */
  public static void requireValid(TestPlan plan) {
    List<String> problems = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    for (PlanItem item : plan.items()) {
      if (!ids.add(item.id())) {
        problems.add("plan item id " + item.id() + " appears more than once");
      }
      for (String capability : item.capabilities()) {
        if (Capability.byId(capability).isEmpty()) {
          problems.add(
              "plan item "
                  + item.id()
                  + " needs capability '"
                  + capability
                  + "', which the harness does not know (known: "
                  + Capability.knownIds()
                  + ")");
        }
      }
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException("invalid test plan: " + String.join("; ", problems));
    }
  }
}
