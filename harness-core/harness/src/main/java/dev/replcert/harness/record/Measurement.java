package dev.replcert.harness.record;

import java.util.Objects;

/**
 * One key/value measurement a test records as evidence, e.g. {@code rpo.records = 12 records} or
 * {@code promote.latency = 0.41 s}.
 */
public record Measurement(String name, double value, String unit) {
  public Measurement {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(unit, "unit");
  }
}
