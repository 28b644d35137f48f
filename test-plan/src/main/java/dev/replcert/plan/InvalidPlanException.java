package dev.replcert.plan;

import java.util.List;

/** plan.yaml broke a rule; the message lists every problem found, one per line. */
public final class InvalidPlanException extends IllegalArgumentException {

  private final String origin;
  private final List<String> problems;

  public InvalidPlanException(String origin, List<String> problems) {
    super(message(origin, problems));
    this.origin = origin;
    this.problems = List.copyOf(problems);
  }

  /** The file or resource the plan came from. */
  public String origin() {
    return origin;
  }

  /** One line per problem, each naming the item (index and id) and what was expected. */
  public List<String> problems() {
    return problems;
  }

  private static String message(String origin, List<String> problems) {
    StringBuilder sb = new StringBuilder("invalid test plan ").append(origin).append(" (")
        .append(problems.size()).append(problems.size() == 1 ? " problem)" : " problems)");
    for (String p : problems) {
      sb.append("\n  - ").append(p);
    }
    return sb.toString();
  }
}
