package dev.replcert.harness.workload;

/**
 * A workload did not do what a test needed: names which workload (pod), the phase it was in and the
 * last status seen, so the report explains the failure without a rerun.
 */
public final class WorkloadException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final String workload;
  private final String phase;
  private final String lastStatus;

  public WorkloadException(String workload, String phase, String problem, String lastStatus) {
    this(workload, phase, problem, lastStatus, null);
  }

  public WorkloadException(
      String workload, String phase, String problem, String lastStatus, Throwable cause) {
    super(
        phase
            + " of "
            + workload
            + ": "
            + problem
            + (lastStatus == null ? "" : "; last status seen: " + lastStatus),
        cause);
    this.workload = workload;
    this.phase = phase;
    this.lastStatus = lastStatus;
  }

  /** E.g. {@code pod ns/replcert-writer-pvc-abcde}. */
  public String workload() {
    return workload;
  }

  /** E.g. {@code waiting for the writer to run}. */
  public String phase() {
    return phase;
  }

  /** The last status seen, rendered; null if none was seen. */
  public String lastStatus() {
    return lastStatus;
  }
}
