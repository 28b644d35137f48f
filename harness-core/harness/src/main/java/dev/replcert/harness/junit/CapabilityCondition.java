package dev.replcert.harness.junit;

import dev.replcert.harness.config.Capability;
import dev.replcert.harness.config.CertificationConfig;
import java.lang.reflect.AnnotatedElement;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * Skips a test whose {@link RequiresCapability} names a capability the driver's profile does not
 * claim; the reason names the driver and every missing capability. Evaluated per test method
 * (class-level requirements are merged in) so that every skipped test reaches the run record.
 */
final class CapabilityCondition implements ExecutionCondition {

  @Override
  public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
    if (context.getTestMethod().isEmpty()) {
      return ConditionEvaluationResult.enabled("capabilities are checked per test method");
    }
    Set<Capability> required = new LinkedHashSet<>();
    context.getTestClass().ifPresent(c -> required.addAll(requirements(c)));
    required.addAll(requirements(context.getRequiredTestMethod()));
    if (required.isEmpty()) {
      return ConditionEvaluationResult.enabled("no capability required");
    }
    Optional<CertificationConfig> config = CertificationRun.of(context).validConfig();
    if (config.isEmpty()) {
      // the test runs and fails on the configuration error, which names every problem
      return ConditionEvaluationResult.enabled("configuration is invalid; the test reports why");
    }
    Set<Capability> missing =
        required.stream()
            .filter(c -> !config.get().capabilities().claims(c))
            .collect(Collectors.toCollection(LinkedHashSet::new));
    String driver = config.get().driver().name();
    if (missing.isEmpty()) {
      return ConditionEvaluationResult.enabled("driver '" + driver + "' claims " + required);
    }
    return ConditionEvaluationResult.disabled(
        "driver '"
            + driver
            + "' does not claim "
            + (missing.size() == 1 ? "capability " : "capabilities ")
            + missing.stream()
                .map(c -> "'" + c.id() + "' (" + c.description() + ")")
                .collect(Collectors.joining(", "))
            + " in its capability profile");
  }

  private static Set<Capability> requirements(AnnotatedElement element) {
    return AnnotationSupport.findAnnotation(element, RequiresCapability.class)
        .map(r -> new LinkedHashSet<>(Arrays.asList(r.value())))
        .orElseGet(LinkedHashSet::new);
  }
}
