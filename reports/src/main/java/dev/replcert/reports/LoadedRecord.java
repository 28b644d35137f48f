package dev.replcert.reports;

import dev.replcert.harness.record.RunRecord;
import java.util.Objects;

/** A run record as read from disk, with where it came from. */
public record LoadedRecord(String path, String sha256, RunRecord record) {
  public LoadedRecord {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(record, "record");
  }

  RecordSource source() {
    return new RecordSource(path, record.module(), record.runId(), sha256);
  }
}
