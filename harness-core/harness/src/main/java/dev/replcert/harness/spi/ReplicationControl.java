package dev.replcert.harness.spi;

/**
 * Pause and resume replication of a volume or volume group. Not part of the csi-addons
 * specification: the reference driver offers a vendor gRPC extension, other drivers the commands
 * in cert.yaml ({@code driver.replicationControl}). Tests that need it declare the capability
 * {@code pause-resume}.
 */
public interface ReplicationControl {

  /** Stops shipping changes of the volume (or group) to the peer; writes on the primary go on. */
  void pause(String site, String volumeOrGroupId);

  /** Resumes shipping; the next sync carries everything changed while paused. */
  void resume(String site, String volumeOrGroupId);
}
