package dev.replcert.harness.config;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Optional;

/** Who turns DR actions (failover, relocate) into VolumeReplication changes. */
public enum Orchestrator {
  /** The reference orchestrator, run by the harness itself (Ramen's API, no install needed). */
  BUNDLED("bundled"),
  /** A Ramen installed on the clusters; needs a real hub. */
  RAMEN("ramen");

  private final String id;

  Orchestrator(String id) {
    this.id = id;
  }

  @JsonValue
  public String id() {
    return id;
  }

  public static Optional<Orchestrator> byId(String id) {
    return Arrays.stream(values()).filter(o -> o.id.equals(id)).findFirst();
  }

  @Override
  public String toString() {
    return id;
  }
}
