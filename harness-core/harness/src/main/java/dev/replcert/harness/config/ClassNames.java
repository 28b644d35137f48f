package dev.replcert.harness.config;

/**
 * Names of classes that already exist on both managed clusters. A null name means the harness
 * creates a run-scoped class itself from the {@code driver} settings.
 */
public record ClassNames(
    String storageClass,
    String volumeReplicationClass,
    String volumeGroupReplicationClass,
    String networkFenceClass,
    String volumeSnapshotClass) {}
