package dev.replcert.harness.config;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The configuration cannot be used; thrown before anything runs. Lists every problem found, one per
 * line. It deliberately has no cause: parser exceptions quote the input, which may hold a secret,
 * and a cause would print it with the stack trace.
 */
public final class ConfigException extends RuntimeException {

  private final List<ConfigProblem> problems;

  public ConfigException(List<ConfigProblem> problems) {
    super(message(problems), null, false, true);
    this.problems = List.copyOf(problems);
  }

  public List<ConfigProblem> problems() {
    return problems;
  }

  private static String message(List<ConfigProblem> problems) {
    return "Invalid replcert configuration:"
        + problems.stream().map(p -> "\n  " + p).collect(Collectors.joining());
  }
}
