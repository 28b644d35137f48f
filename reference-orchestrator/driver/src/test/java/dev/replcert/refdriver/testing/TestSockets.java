package dev.replcert.refdriver.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Short temporary directories for unix sockets: sun_path holds 107 bytes, and JUnit's @TempDir
 * under a long build path can exceed it.
 */
public final class TestSockets {

  private TestSockets() {}

  public static Path newDirectory() {
    try {
      return Files.createTempDirectory(Path.of("/tmp"), "rd");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static void deleteRecursively(Path directory) {
    if (directory == null || !Files.exists(directory)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(directory)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
