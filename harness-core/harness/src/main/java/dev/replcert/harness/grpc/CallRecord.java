package dev.replcert.harness.grpc;

import java.time.Duration;
import java.time.Instant;

/**
 * One gRPC call a test made to a driver: what was asked (secrets redacted), how it ended, and how
 * long it took.
 *
 * @param sequence position in the run's call log
 * @param endpoint which endpoint (e.g. {@code east/addons})
 * @param method full method name, e.g. {@code replication.Controller/PromoteVolume}
 * @param request the request in protobuf text form, secrets redacted
 * @param status gRPC status code name
 * @param description the status description, if any
 */
public record CallRecord(
    long sequence,
    String endpoint,
    String method,
    String request,
    String status,
    String description,
    Instant startedAt,
    Duration latency) {

  /** One line per call, for logs and attachments. */
  public String line() {
    return String.format(
        "#%d %s %s %s%s in %d ms | %s",
        sequence,
        endpoint,
        method,
        status,
        description == null || description.isEmpty() ? "" : " (" + description + ")",
        latency.toMillis(),
        request.replace('\n', ' ').trim());
  }
}
