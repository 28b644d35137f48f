package dev.replcert.harness.junit;

import dev.replcert.harness.config.Capability;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The capabilities a test needs. When the driver's capability profile does not claim all of
 * them, the test is skipped with a reason naming the driver and the missing capabilities —
 * never passed. On a class it applies to every test method of the class.
 */
@Target({ElementType.METHOD, ElementType.TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
public @interface RequiresCapability {
  Capability[] value();
}
