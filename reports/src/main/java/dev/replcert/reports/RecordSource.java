package dev.replcert.reports;

/**
 * A run record file the report read, so a reviewer can match the report to its inputs.
 *
 * @param path where it was found (relative to the scanned root when possible)
 * @param module the module that wrote it
 * @param runId the run it belongs to
 * @param sha256 hex SHA-256 of the file's bytes, or null when not computed
 */
public record RecordSource(String path, String module, String runId, String sha256) {}
