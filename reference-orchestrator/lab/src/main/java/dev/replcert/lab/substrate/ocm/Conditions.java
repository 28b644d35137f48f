package dev.replcert.lab.substrate.ocm;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** metav1.Condition lists as {@code meta.SetStatusCondition} keeps them. */
final class Conditions {

  private Conditions() {}

  static Condition of(String type, String status, String reason, String message, Long generation) {
    return new ConditionBuilder()
        .withType(type)
        .withStatus(status)
        .withReason(reason)
        .withMessage(message == null ? "" : message)
        .withObservedGeneration(generation)
        .build();
  }

  /**
   * {@code conditions} with {@code next} set: a condition of the same type is replaced, keeping its
   * lastTransitionTime when the status did not change.
   */
  static List<Condition> set(List<Condition> conditions, Condition next, Clock clock) {
    List<Condition> result = new ArrayList<>(conditions == null ? List.of() : conditions);
    Optional<Condition> old = find(result, next.getType());
    Condition copy = new ConditionBuilder(next).build();
    if (old.isPresent() && Objects.equals(old.get().getStatus(), next.getStatus())) {
      copy.setLastTransitionTime(old.get().getLastTransitionTime());
    } else {
      copy.setLastTransitionTime(now(clock));
    }
    if (copy.getLastTransitionTime() == null) {
      copy.setLastTransitionTime(now(clock));
    }
    old.ifPresentOrElse(o -> result.set(result.indexOf(o), copy), () -> result.add(copy));
    return result;
  }

  static Optional<Condition> find(List<Condition> conditions, String type) {
    if (conditions == null) {
      return Optional.empty();
    }
    return conditions.stream().filter(c -> type.equals(c.getType())).findFirst();
  }

  static String now(Clock clock) {
    return Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).toString();
  }
}
