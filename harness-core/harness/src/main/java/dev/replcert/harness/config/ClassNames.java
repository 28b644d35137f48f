package dev.replcert.harness.config;

/**
 * Names of classes that already exist on both managed clusters, and of a DRPolicy that already
 * exists on the hub. A null name means the harness creates a test-scoped one itself from the
 * {@code driver} settings.
 */
public record ClassNames(
    String storageClass,
    String volumeReplicationClass,
    String volumeGroupReplicationClass,
    String networkFenceClass,
    String volumeSnapshotClass,
    String drPolicy) {}
