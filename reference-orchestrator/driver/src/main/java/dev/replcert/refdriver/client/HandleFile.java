package dev.replcert.refdriver.client;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.stream.Stream;

/**
 * The file NodePublishVolume leaves at the target path, the lab's stand-in for a mount: a workload
 * reads it and then does its I/O through the DataPath service with the handle.
 *
 * <ul>
 *   <li>mount access type: the target path is a directory holding {@value #NAME};
 *   <li>block access type: the target path itself is the file.
 * </ul>
 *
 * Content: {@code {"handle": "...", "socket": "<socket serving DataPath>", "volumeId": "..."}}.
 */
public final class HandleFile {

  /** File name inside a mount-type target directory. */
  public static final String NAME = ".replcert-handle";

  private static final ObjectMapper JSON = new ObjectMapper();

  /** The content of a handle file. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Handle(String handle, String socket, String volumeId) {}

  private HandleFile() {}

  /** Reads the handle at a target path of either access type. */
  public static Handle read(Path targetPath) {
    Path file = Files.isDirectory(targetPath) ? targetPath.resolve(NAME) : targetPath;
    try {
      return JSON.readValue(file.toFile(), Handle.class);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the volume handle at " + file, e);
    }
  }

  /**
   * Writes the handle at a target path: creates the directory (mount) or the file (block, where an
   * empty directory left by the CO is replaced by the file). Written to a temporary file first and
   * moved into place, so a reader never sees half a handle.
   */
  public static void write(Path targetPath, boolean block, Handle handle) throws IOException {
    Path file;
    if (block) {
      if (Files.isDirectory(targetPath)) {
        if (!isEmptyDirectory(targetPath)) {
          throw new IOException("block target " + targetPath + " is a non-empty directory");
        }
        Files.delete(targetPath);
      }
      Files.createDirectories(targetPath.toAbsolutePath().getParent());
      file = targetPath;
    } else {
      Files.createDirectories(targetPath);
      file = targetPath.resolve(NAME);
    }
    Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
    Files.write(temporary, JSON.writeValueAsBytes(handle));
    try {
      Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /**
   * Removes what {@link #write} created: the file, and a mount directory once it is empty (CSI:
   * the SP deletes the file or directory it created at the target path).
   */
  public static void remove(Path targetPath) throws IOException {
    if (Files.isDirectory(targetPath)) {
      Files.deleteIfExists(targetPath.resolve(NAME));
      if (isEmptyDirectory(targetPath)) {
        Files.delete(targetPath);
      }
    } else {
      Files.deleteIfExists(targetPath);
    }
  }

  private static boolean isEmptyDirectory(Path directory) throws IOException {
    try (Stream<Path> entries = Files.list(directory)) {
      return entries.findAny().isEmpty();
    }
  }
}
