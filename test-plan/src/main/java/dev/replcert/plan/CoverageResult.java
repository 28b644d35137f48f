package dev.replcert.plan;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@link PlanCoverage#scan} found.
 *
 * @param places every {@code @PlanItem} id found (sorted), each with its {@code file:line} places
 *     relative to the repository root
 * @param problems what must be fixed: unknown ids, ids used twice, ids that are not literals
 * @param notImplemented plan ids no test carries yet, in plan order (informational: the plan is
 *     written ahead of the tests)
 */
public record CoverageResult(
    Map<String, List<String>> places, List<String> problems, List<String> notImplemented) {

  public CoverageResult {
    Map<String, List<String>> copy = new LinkedHashMap<>();
    places.forEach((id, where) -> copy.put(id, List.copyOf(where)));
    places = Collections.unmodifiableMap(copy);
    problems = List.copyOf(problems);
    notImplemented = List.copyOf(notImplemented);
  }

  /** True when there is nothing to fix (not-implemented items are not problems). */
  public boolean clean() {
    return problems.isEmpty();
  }
}
