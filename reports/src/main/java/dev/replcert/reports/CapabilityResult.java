package dev.replcert.reports;

import java.util.List;
import java.util.Objects;

/**
 * One row of the capability matrix: what the profile declared, what the plan items requiring the
 * capability showed, and the verdict for it.
 *
 * @param capability the capability id (as in cert.yaml and plan.yaml)
 * @param description what the capability means
 * @param claimed whether the profile claims it
 * @param planned plan items requiring it
 * @param passed of those, passed
 * @param failed of those, failed
 * @param skipped of those, skipped (by capability or environment)
 * @param notImplemented of those, without any test in this run
 * @param verdict the capability's verdict
 * @param reasons sentences behind the verdict
 */
public record CapabilityResult(
    String capability,
    String description,
    boolean claimed,
    int planned,
    int passed,
    int failed,
    int skipped,
    int notImplemented,
    CapabilityVerdict verdict,
    List<String> reasons) {

  public CapabilityResult {
    Objects.requireNonNull(capability, "capability");
    Objects.requireNonNull(verdict, "verdict");
    reasons = reasons == null ? List.of() : List.copyOf(reasons);
  }
}
