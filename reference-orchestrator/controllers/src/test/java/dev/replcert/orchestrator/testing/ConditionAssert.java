package dev.replcert.orchestrator.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.replcert.orchestrator.k8s.Conditions;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;

/** Asserts one metav1 condition; a failure prints the whole list. */
public final class ConditionAssert {

  private ConditionAssert() {}

  /**
   * The condition {@code type} of {@code owner} is {@code status/reason}, written for {@code
   * generation}.
   */
  public static Condition condition(
      String owner,
      List<Condition> conditions,
      Long generation,
      String type,
      String status,
      String reason) {
    Condition c = Conditions.find(conditions, type).orElse(null);
    assertThat(c).as("%s of %s in %s", type, owner, conditions).isNotNull();
    assertThat(c.getStatus() + "/" + c.getReason())
        .as("%s of %s (message: %s) in %s", type, owner, c.getMessage(), conditions)
        .isEqualTo(status + "/" + reason);
    assertThat(c.getObservedGeneration()).as("%s observedGeneration", type).isEqualTo(generation);
    return c;
  }
}
