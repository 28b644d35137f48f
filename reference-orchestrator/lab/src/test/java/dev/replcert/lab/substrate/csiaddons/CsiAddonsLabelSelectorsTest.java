package dev.replcert.lab.substrate.csiaddons;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Label selectors as the API server evaluates them (the CRUD mock ignores set-based ones). */
class CsiAddonsLabelSelectorsTest {

  @Test
  void matchLabelsAndEveryExpressionMustHold() {
    LabelSelector selector =
        new LabelSelectorBuilder()
            .withMatchLabels(Map.of("tier", "db"))
            .addNewMatchExpression()
            .withKey("app")
            .withOperator("In")
            .withValues("a", "b")
            .endMatchExpression()
            .addNewMatchExpression()
            .withKey("zone")
            .withOperator("NotIn")
            .withValues("x")
            .endMatchExpression()
            .addNewMatchExpression()
            .withKey("owner")
            .withOperator("Exists")
            .endMatchExpression()
            .addNewMatchExpression()
            .withKey("skip")
            .withOperator("DoesNotExist")
            .endMatchExpression()
            .build();

    assertThat(LabelSelectors.matches(selector, Map.of("tier", "db", "app", "a", "owner", "me")))
        .isTrue();
    assertThat(LabelSelectors.matches(selector, Map.of("tier", "db", "app", "c", "owner", "me")))
        .isFalse();
    assertThat(
            LabelSelectors.matches(
                selector, Map.of("tier", "db", "app", "a", "owner", "me", "zone", "x")))
        .isFalse();
    assertThat(LabelSelectors.matches(selector, Map.of("tier", "db", "app", "a"))).isFalse();
    assertThat(
            LabelSelectors.matches(
                selector, Map.of("tier", "db", "app", "a", "owner", "me", "skip", "")))
        .isFalse();
    assertThat(LabelSelectors.matches(selector, Map.of("tier", "web", "app", "a", "owner", "me")))
        .isFalse();
  }

  @Test
  void anEmptySelectorMatchesEverythingAndANullOneNothing() {
    assertThat(LabelSelectors.matches(new LabelSelector(), Map.of("a", "b"))).isTrue();
    assertThat(LabelSelectors.matches(null, Map.of("a", "b"))).isFalse();
  }

  @Test
  void anUnknownOperatorIsRejected() {
    LabelSelector selector =
        new LabelSelectorBuilder()
            .addNewMatchExpression()
            .withKey("a")
            .withOperator("Near")
            .endMatchExpression()
            .build();
    assertThatThrownBy(() -> LabelSelectors.matches(selector, Map.of()))
        .hasMessageContaining("Near");
  }
}
