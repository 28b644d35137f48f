package dev.replcert.harness.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Marks a certification suite. Composes everything a suite needs: the run-scoped configuration
 * and environment, capability-based skipping ({@link RequiresCapability}), parameter injection,
 * per-test resource tracking with reverse-order cleanup, and the run record.
 *
 * <p>Suites carry the JUnit tag {@value #TAG}: only {@code ./mvnw verify -Pcert} runs them
 * directly; the project's own tests run them through the JUnit Platform launcher.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@Tag(Certification.TAG)
@ExtendWith(CertificationExtension.class)
@ExtendWith(CapabilityCondition.class)
public @interface Certification {
  String TAG = "certification";
}
