package dev.replcert.orchestrator.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LabelSelectorsTest {

  private static final Map<String, String> WEB = Map.of("app", "shop", "tier", "web");

  @Test
  void nullMatchesNothingAndEmptyEverything() {
    assertThat(LabelSelectors.matches(null, WEB)).isFalse();
    assertThat(LabelSelectors.matches(new LabelSelector(), WEB)).isTrue();
    assertThat(LabelSelectors.matches(new LabelSelector(), null)).isTrue();
  }

  @Test
  void matchLabelsAndExpressionsAreAnded() {
    LabelSelector selector =
        new LabelSelectorBuilder()
            .addToMatchLabels("app", "shop")
            .addNewMatchExpression()
            .withKey("tier")
            .withOperator("In")
            .withValues("web", "db")
            .endMatchExpression()
            .build();
    assertThat(LabelSelectors.matches(selector, WEB)).isTrue();
    assertThat(LabelSelectors.matches(selector, Map.of("app", "shop", "tier", "cache"))).isFalse();
    assertThat(LabelSelectors.matches(selector, Map.of("app", "blog", "tier", "web"))).isFalse();
  }

  @Test
  void setOperators() {
    assertThat(LabelSelectors.matches(expression("tier", "NotIn", "db"), WEB)).isTrue();
    assertThat(LabelSelectors.matches(expression("zone", "NotIn", "a"), WEB))
        .as("absent key is not in")
        .isTrue();
    assertThat(LabelSelectors.matches(expression("tier", "Exists"), WEB)).isTrue();
    assertThat(LabelSelectors.matches(expression("tier", "DoesNotExist"), WEB)).isFalse();
    assertThat(LabelSelectors.matches(expression("zone", "In", "a"), WEB)).isFalse();
    assertThatThrownBy(() -> LabelSelectors.matches(expression("tier", "Like", "w"), WEB))
        .hasMessageContaining("Like");
  }

  private static LabelSelector expression(String key, String operator, String... values) {
    return new LabelSelectorBuilder()
        .addNewMatchExpression()
        .withKey(key)
        .withOperator(operator)
        .withValues(values)
        .endMatchExpression()
        .build();
  }
}
