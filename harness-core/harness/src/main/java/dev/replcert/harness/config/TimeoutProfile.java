package dev.replcert.harness.config;

import static dev.replcert.harness.config.TimeoutOperation.CLEANUP;
import static dev.replcert.harness.config.TimeoutOperation.DEMOTE;
import static dev.replcert.harness.config.TimeoutOperation.FAILOVER;
import static dev.replcert.harness.config.TimeoutOperation.FENCE;
import static dev.replcert.harness.config.TimeoutOperation.FIRST_SYNC;
import static dev.replcert.harness.config.TimeoutOperation.POD_DELETE;
import static dev.replcert.harness.config.TimeoutOperation.POD_START;
import static dev.replcert.harness.config.TimeoutOperation.POLL;
import static dev.replcert.harness.config.TimeoutOperation.PROMOTE;
import static dev.replcert.harness.config.TimeoutOperation.RELOCATE;
import static dev.replcert.harness.config.TimeoutOperation.REPLICATION_ESTABLISHED;
import static dev.replcert.harness.config.TimeoutOperation.RESYNC;
import static dev.replcert.harness.config.TimeoutOperation.RPC;
import static dev.replcert.harness.config.TimeoutOperation.S3_UPLOAD;
import static dev.replcert.harness.config.TimeoutOperation.SITE_DOWN;
import static dev.replcert.harness.config.TimeoutOperation.SITE_UP;
import static dev.replcert.harness.config.TimeoutOperation.UNFENCE;
import static dev.replcert.harness.config.TimeoutOperation.VM_BOOT;
import static dev.replcert.harness.config.TimeoutOperation.VERIFY;
import static dev.replcert.harness.config.TimeoutOperation.VM_MIGRATE;
import static dev.replcert.harness.config.TimeoutOperation.VOLUME_PROVISION;
import static dev.replcert.harness.config.TimeoutOperation.WORKLOAD_STOP;

import java.time.Duration;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One limit per {@link TimeoutOperation}. Three presets: {@code default} mirrors the Kubernetes
 * storage e2e framework's timeouts (poll 2s, claim provision 5m); {@code slow} triples every limit
 * for backends that replicate over a WAN; {@code lab} is short because the embedded lab's driver
 * syncs every second. docs/cert-yaml.md has the table; a test keeps it in step.
 */
public final class TimeoutProfile {

  public static final String DEFAULT = "default";
  public static final String SLOW = "slow";
  public static final String LAB = "lab";

  private static final int SLOW_FACTOR = 3;

  private final String name;
  private final Map<TimeoutOperation, Duration> limits;

  private TimeoutProfile(String name, Map<TimeoutOperation, Duration> limits) {
    for (TimeoutOperation op : TimeoutOperation.values()) {
      if (!limits.containsKey(op)) {
        throw new IllegalStateException("profile " + name + " has no limit for " + op);
      }
    }
    this.name = name;
    this.limits = Collections.unmodifiableMap(new EnumMap<>(limits));
  }

  public static List<String> presetNames() {
    return List.of(DEFAULT, SLOW, LAB);
  }

  public static Optional<TimeoutProfile> preset(String name) {
    if (name == null) {
      return Optional.empty();
    }
    return switch (name) {
      case DEFAULT -> Optional.of(new TimeoutProfile(DEFAULT, defaults()));
      case SLOW -> Optional.of(new TimeoutProfile(SLOW, slow()));
      case LAB -> Optional.of(new TimeoutProfile(LAB, lab()));
      default -> Optional.empty();
    };
  }

  /** A preset by name; throws naming the known presets. */
  public static TimeoutProfile named(String name) {
    return preset(name)
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "unknown timeout profile; expected one of "
                        + String.join(", ", presetNames())));
  }

  /** This profile with some limits replaced; the name stays, overrides always win. */
  public TimeoutProfile withOverrides(Map<TimeoutOperation, Duration> overrides) {
    Map<TimeoutOperation, Duration> merged = new EnumMap<>(limits);
    merged.putAll(overrides);
    return new TimeoutProfile(name, merged);
  }

  public String name() {
    return name;
  }

  public Duration of(TimeoutOperation op) {
    return limits.get(op);
  }

  /** Every limit, in enum order. */
  public Map<TimeoutOperation, Duration> asMap() {
    return limits;
  }

  @Override
  public String toString() {
    return "TimeoutProfile[" + name + "]";
  }

  private static Map<TimeoutOperation, Duration> defaults() {
    Map<TimeoutOperation, Duration> m = new EnumMap<>(TimeoutOperation.class);
    m.put(POLL, Duration.ofSeconds(2));
    m.put(RPC, Duration.ofSeconds(30));
    m.put(VOLUME_PROVISION, Duration.ofMinutes(5));
    m.put(POD_START, Duration.ofMinutes(5));
    m.put(POD_DELETE, Duration.ofMinutes(5));
    m.put(WORKLOAD_STOP, Duration.ofMinutes(3));
    m.put(VERIFY, Duration.ofMinutes(10));
    m.put(REPLICATION_ESTABLISHED, Duration.ofMinutes(5));
    m.put(FIRST_SYNC, Duration.ofMinutes(10));
    m.put(PROMOTE, Duration.ofMinutes(2));
    m.put(DEMOTE, Duration.ofMinutes(2));
    m.put(RESYNC, Duration.ofMinutes(10));
    m.put(FENCE, Duration.ofMinutes(2));
    m.put(UNFENCE, Duration.ofMinutes(2));
    m.put(FAILOVER, Duration.ofMinutes(15));
    m.put(RELOCATE, Duration.ofMinutes(15));
    m.put(S3_UPLOAD, Duration.ofMinutes(2));
    m.put(SITE_DOWN, Duration.ofMinutes(5));
    m.put(SITE_UP, Duration.ofMinutes(10));
    m.put(VM_BOOT, Duration.ofMinutes(10));
    m.put(VM_MIGRATE, Duration.ofMinutes(10));
    m.put(CLEANUP, Duration.ofMinutes(5));
    return m;
  }

  private static Map<TimeoutOperation, Duration> slow() {
    Map<TimeoutOperation, Duration> m = defaults();
    // Polling faster or slower does not help a slow backend; only the limits grow.
    m.replaceAll((op, d) -> op == POLL ? d : d.multipliedBy(SLOW_FACTOR));
    return m;
  }

  private static Map<TimeoutOperation, Duration> lab() {
    Map<TimeoutOperation, Duration> m = new EnumMap<>(TimeoutOperation.class);
    Duration step = Duration.ofSeconds(30);
    Duration longStep = Duration.ofSeconds(60);
    for (TimeoutOperation op : TimeoutOperation.values()) {
      m.put(op, step);
    }
    m.put(POLL, Duration.ofMillis(100));
    m.put(RPC, Duration.ofSeconds(10));
    // A verifier reads the whole volume (the default 1Gi takes 7-14 s on a quiet 2-core machine):
    // 30 s left no margin for a loaded one.
    for (TimeoutOperation op :
        List.of(FIRST_SYNC, RESYNC, FAILOVER, RELOCATE, SITE_UP, VERIFY, VM_BOOT, VM_MIGRATE)) {
      m.put(op, longStep);
    }
    return m;
  }
}
