package dev.replcert.lab.substrate.csiaddons;

import dev.replcert.api.k8s.CsiAddons.ConditionType;
import dev.replcert.api.k8s.CsiAddons.Reason;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/** metav1 {@code SetStatusCondition}: the transition time moves only when the status changes. */
final class Conditions {

  private Conditions() {}

  static void set(
      List<Condition> conditions,
      ConditionType type,
      String status,
      Reason reason,
      String message,
      long generation) {
    set(conditions, type.wire(), status, reason.wire(), message, generation);
  }

  static void set(
      List<Condition> conditions,
      String type,
      String status,
      String reason,
      String message,
      long generation) {
    Condition existing =
        conditions.stream().filter(c -> type.equals(c.getType())).findFirst().orElse(null);
    if (existing == null) {
      existing = new Condition();
      existing.setType(type);
      conditions.add(existing);
    }
    if (!status.equals(existing.getStatus()) || existing.getLastTransitionTime() == null) {
      existing.setLastTransitionTime(Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
    }
    existing.setStatus(status);
    existing.setReason(reason);
    existing.setMessage(message);
    existing.setObservedGeneration(generation);
  }

  static void remove(List<Condition> conditions, ConditionType type) {
    conditions.removeIf(c -> type.wire().equals(c.getType()));
  }
}
