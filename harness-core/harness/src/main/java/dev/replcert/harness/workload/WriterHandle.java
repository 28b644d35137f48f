package dev.replcert.harness.workload;

/** A running writer of a {@link Workloads}. */
public interface WriterHandle {

  /** The data run the writer writes. */
  String runId();

  /** Where it runs, for messages and evidence, e.g. {@code pod east/ns/replcert-writer-x}. */
  String describe();

  /**
   * What the writer has acknowledged so far (a {@code RUNNING} report while it writes). When its
   * cluster cannot be reached this is the last progress seen, so a test that cut the site still
   * knows what was acknowledged before the cut. Never throws: a writer that failed says so in
   * {@link #stop()}.
   */
  WriterReport progress();

  /**
   * Stops the writer after the write in flight and returns its final report; idempotent. A writer
   * that already ended on its own (a demoted volume refusing writes) just reports.
   *
   * @throws WorkloadException if the writer cannot be stopped or gives no report
   */
  WriterReport stop();
}
