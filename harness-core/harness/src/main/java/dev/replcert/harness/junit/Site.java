package dev.replcert.harness.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Qualifies an injected environment client by site, e.g. {@code @Site("east") KubernetesClient
 * east}. Sites are {@code hub}, {@code east} and {@code west}.
 */
@Target(ElementType.PARAMETER)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface Site {
  String value();
}
