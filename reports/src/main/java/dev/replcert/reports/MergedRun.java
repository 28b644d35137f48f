package dev.replcert.reports;

import java.util.List;
import java.util.Objects;

/** The run records of one run merged into one: what the run was, and every test result. */
public record MergedRun(RunInfo info, List<ExecutedTest> tests) {
  public MergedRun {
    Objects.requireNonNull(info, "info");
    tests = tests == null ? List.of() : List.copyOf(tests);
  }
}
