package dev.replcert.refdriver.storage;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.FileOutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Crash-safe file updates: write a temporary file, fsync it, rename it over the target, fsync the
 * directory. A reader (or a restart) sees the old content or the new one, never a torn file.
 */
public final class AtomicFiles {

  /** The one JSON mapper of the engine's metadata (ISO instants, unknown fields tolerated). */
  public static final ObjectMapper JSON =
      new ObjectMapper()
          .registerModule(new JavaTimeModule())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(SerializationFeature.INDENT_OUTPUT);

  private AtomicFiles() {}

  public static void writeJson(Path target, Object value) {
    try {
      write(target, JSON.writeValueAsBytes(value));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + target, e);
    }
  }

  public static <T> T readJson(Path source, Class<T> type) {
    try {
      return JSON.readValue(source.toFile(), type);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + source, e);
    }
  }

  public static void write(Path target, byte[] content) {
    Path temp = target.resolveSibling(target.getFileName() + ".tmp");
    // classic streams: an interrupted caller must not abort the write half-way
    try (FileOutputStream out = new FileOutputStream(temp.toFile())) {
      out.write(content);
      out.getFD().sync();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + temp, e);
    }
    move(temp, target);
  }

  /** Renames atomically and makes the rename durable. */
  public static void move(Path from, Path to) {
    try {
      try {
        Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot rename " + from + " to " + to, e);
    }
    fsyncDirectory(to.toAbsolutePath().getParent());
  }

  /** Makes creations, renames and deletions in a directory durable (no-op where unsupported). */
  public static void fsyncDirectory(Path directory) {
    try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
      dir.force(true);
    } catch (IOException | UnsupportedOperationException e) {
      // some file systems refuse to open or sync directories; the rename itself is still atomic
    }
  }

  public static void deleteIfExists(Path path) {
    try {
      Files.deleteIfExists(path);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + path, e);
    }
  }

  public static void deleteTree(Path root) {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      paths.sorted(Comparator.reverseOrder()).forEach(AtomicFiles::deleteIfExists);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + root, e);
    }
  }

  public static void createDirectories(Path directory) {
    try {
      Files.createDirectories(directory);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + directory, e);
    }
  }
}
