package dev.replcert.harness.config;

import java.util.Map;

/**
 * {@code driver:} the CSI driver under certification and how the harness reaches and drives it.
 * {@code endpoints}, {@code secretRef} and {@code replicationControl} are null when not configured;
 * the other sections always carry their defaults.
 */
public record DriverConfig(
    String name,
    Sites<SiteEndpoint> endpoints,
    Map<String, SecretValue> secrets,
    SecretRef secretRef,
    ReplicationSettings replication,
    VolumeSettings volume,
    ReplicationControlHooks replicationControl) {

  public DriverConfig {
    secrets = Copies.map(secrets);
    replication = replication == null ? new ReplicationSettings(null, null) : replication;
    volume = volume == null ? new VolumeSettings(null, null, null) : volume;
  }

  DriverConfig withName(String driverName) {
    return new DriverConfig(
        driverName, endpoints, secrets, secretRef, replication, volume, replicationControl);
  }
}
