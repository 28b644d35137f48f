package dev.replcert.harness.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The test-plan item a certification test implements, e.g. {@code @PlanItem("L2-FO-001")}. The
 * id must exist in test-plan/plan.yaml and be used by one test only (checked by the build); it
 * must be a string literal so the coverage check can read it from the sources.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface PlanItem {
  String value();
}
