package dev.replcert.reports;

import java.util.List;
import java.util.Objects;

/** The verdict of the run with every reason for it, blocking ones first. */
public record OverallVerdict(Verdict verdict, List<Finding> reasons) {
  public OverallVerdict {
    Objects.requireNonNull(verdict, "verdict");
    reasons = reasons == null ? List.of() : List.copyOf(reasons);
  }
}
