package dev.replcert.orchestrator.k8s;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * metav1.Condition lists handled as apimachinery's meta.SetStatusCondition does: one condition per
 * type, lastTransitionTime moves only when the status changes (so a reconcile that re-derives the
 * same verdict writes nothing new).
 */
public final class Conditions {

  private Conditions() {}

  public static Optional<Condition> find(List<Condition> conditions, String type) {
    return conditions == null
        ? Optional.empty()
        : conditions.stream().filter(c -> type.equals(c.getType())).findFirst();
  }

  /** Sets (adds or replaces) the condition of {@code type} in the mutable list. */
  public static void set(
      List<Condition> conditions,
      String type,
      String status,
      String reason,
      String message,
      Long observedGeneration,
      Clock clock) {
    Optional<Condition> old = find(conditions, type);
    String transition =
        old.filter(c -> Objects.equals(c.getStatus(), status))
            .map(Condition::getLastTransitionTime)
            .orElseGet(() -> Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).toString());
    Condition updated =
        new ConditionBuilder()
            .withType(type)
            .withStatus(status)
            .withReason(reason)
            .withMessage(message)
            .withObservedGeneration(observedGeneration)
            .withLastTransitionTime(transition)
            .build();
    old.ifPresentOrElse(
        c -> conditions.set(conditions.indexOf(c), updated), () -> conditions.add(updated));
  }

  /**
   * True when the condition of {@code type} has {@code status} and was written for {@code
   * generation}.
   */
  public static boolean is(
      List<Condition> conditions, String type, String status, Long generation) {
    return find(conditions, type)
        .filter(c -> status.equals(c.getStatus()))
        .filter(c -> generation == null || Objects.equals(generation, c.getObservedGeneration()))
        .isPresent();
  }
}
