package dev.replcert.reports;

import dev.replcert.harness.record.TestResult;
import java.util.Objects;

/** One test result together with the module whose run record holds it. */
public record ExecutedTest(String module, TestResult result) {
  public ExecutedTest {
    Objects.requireNonNull(result, "result");
  }
}
