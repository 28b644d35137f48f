package dev.replcert.reports;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import dev.replcert.harness.record.RunRecord;
import dev.replcert.harness.record.RunRecordJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Reads run records. A record that cannot be read stops the report: its run id is unknown, so it
 * might be this run's, and a verdict without it could miss a failure.
 */
final class RecordLoader {

  private RecordLoader() {}

  static List<LoadedRecord> load(Path root, List<Path> files) throws InputException {
    List<LoadedRecord> loaded = new ArrayList<>();
    for (Path file : files) {
      loaded.add(load(root, file));
    }
    return loaded;
  }

  static LoadedRecord load(Path root, Path file) throws InputException {
    String shown = display(root, file);
    try {
      byte[] bytes = Files.readAllBytes(file);
      RunRecord record = RunRecordJson.read(file);
      return new LoadedRecord(shown, sha256(bytes), record);
    } catch (IOException | RuntimeException e) {
      throw new InputException(
          "cannot read run record " + file.toAbsolutePath() + ": " + why(e), e);
    }
  }

  /**
   * Why a record could not be read, without quoting its content: parser messages quote the
   * offending token, and a record holds test output that may contain credentials.
   */
  static String why(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof JsonProcessingException json) {
        JsonLocation at = json.getLocation();
        String where =
            at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
        String field =
            json instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()
                ? " (field " + mapping.getPathReference() + ")"
                : "";
        return "not a valid run record" + where + field;
      }
    }
    return e instanceof IOException ? e.toString() : e.getMessage();
  }

  /** Relative to the root, with forward slashes, so reports from different machines compare. */
  static String display(Path root, Path file) {
    Path abs = file.toAbsolutePath().normalize();
    Path base = root.toAbsolutePath().normalize();
    Path shown = abs.startsWith(base) ? base.relativize(abs) : abs;
    return shown.toString().replace('\\', '/');
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }
}
