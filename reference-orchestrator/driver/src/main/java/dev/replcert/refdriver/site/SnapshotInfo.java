package dev.replcert.refdriver.site;

import java.time.Instant;

/** A CSI snapshot: a point-in-time copy of a volume on the same site. */
public record SnapshotInfo(
    String snapshotId, String name, String sourceVolumeId, long sizeBytes, Instant creationTime) {}
