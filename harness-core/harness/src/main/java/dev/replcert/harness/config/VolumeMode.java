package dev.replcert.harness.config;

import com.fasterxml.jackson.annotation.JsonValue;

/** Kubernetes volumeMode of the volumes the suites create; spelled as in a PVC. */
public enum VolumeMode {
  FILESYSTEM("Filesystem"),
  BLOCK("Block");

  private final String id;

  VolumeMode(String id) {
    this.id = id;
  }

  @JsonValue
  public String id() {
    return id;
  }

  @Override
  public String toString() {
    return id;
  }
}
