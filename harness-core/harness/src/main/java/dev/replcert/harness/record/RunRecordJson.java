package dev.replcert.harness.record;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads and writes run records; the one JSON mapping both the harness and the reports use. */
public final class RunRecordJson {

  private static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .addModule(new JavaTimeModule())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
          .enable(SerializationFeature.INDENT_OUTPUT)
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .build();

  private RunRecordJson() {}

  public static ObjectMapper mapper() {
    return MAPPER;
  }

  public static void write(RunRecord record, Path file) {
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
      MAPPER.writeValue(tmp.toFile(), record);
      // a half-written record must never be read as a complete run
      Files.move(
          tmp,
          file,
          java.nio.file.StandardCopyOption.REPLACE_EXISTING,
          java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write run record " + file, e);
    }
  }

  public static RunRecord read(Path file) {
    try {
      RunRecord record = MAPPER.readValue(file.toFile(), RunRecord.class);
      if (!RunRecord.SCHEMA.equals(record.schema())) {
        throw new IllegalArgumentException(
            file + ": run record schema is '" + record.schema() + "', expected " + RunRecord.SCHEMA);
      }
      return record;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read run record " + file + ": " + e.getMessage(), e);
    }
  }
}
