package dev.replcert.harness.workload;

import dev.replcert.harness.config.VolumeMode;

/**
 * The data-checking workload as suites see it, the same on real clusters (pods, {@code
 * PodWorkloads}) and in the lab (whose kubelet runs the same program in-JVM): a writer of numbered,
 * checksummed records on a PVC, and a verifier that says what of them a PVC holds.
 *
 * <p>{@code runId} is the data run: the id inside every record, so a verifier never mistakes
 * another run's records for this one's. It must be a valid Kubernetes label value (it labels the
 * pods); a UUID is used as is, any other id through a stable name-based UUID.
 */
public interface Workloads {

  /** Starts writing records 0, 1, 2, ... to the PVC; returns once the writer runs. */
  WriterHandle startWriter(String namespace, String pvc, VolumeMode mode, String runId);

  /**
   * Starts writing the same data run from {@code nextSequence}: after a failover the application
   * carries on on the surviving site, typically from {@code verification.lastContiguous() + 1}.
   */
  WriterHandle continueWriter(
      String namespace, String pvc, VolumeMode mode, String runId, long nextSequence);

  /**
   * Reads the whole PVC and says what it holds of the data run. The PVC must not be in use by a
   * writer (stop it first).
   */
  Verification verify(String namespace, String pvc, VolumeMode mode, String runId);
}
