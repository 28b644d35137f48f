package dev.replcert.harness.config;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/** What the harness runs against (DESIGN.md "Three targets, one suite"). */
public enum Mode {
  /** Embedded lab: in-JVM API servers and the bundled reference driver. The default. */
  LAB("lab"),
  /** Real hub/east/west clusters reached through kubeconfig contexts. */
  CLUSTERS("clusters"),
  /** The vendor's CSI/csi-addons gRPC sockets only (layer 1). */
  ENDPOINT("endpoint");

  private final String id;

  Mode(String id) {
    this.id = id;
  }

  /** The lowercase value written in cert.yaml. */
  @JsonValue
  public String id() {
    return id;
  }

  public static Optional<Mode> byId(String id) {
    return Arrays.stream(values()).filter(m -> m.id.equals(id)).findFirst();
  }

  public static String knownIds() {
    return Arrays.stream(values()).map(Mode::id).collect(Collectors.joining(", "));
  }

  @Override
  public String toString() {
    return id;
  }
}
