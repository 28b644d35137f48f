package dev.replcert.layer1.data;

import dev.replcert.harness.volume.HandleDescriptor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * A sample of what applications keep in a file system, written on one site and compared on the
 * other: many small files, one large file, a directory tree, a symlink and files with distinct
 * modes, all under one directory of the mounted volume. The manifest records, per path, the type,
 * the permission bits, and the sha256 of a file or the target of a link.
 */
final class FileTree {

  static final String ROOT = "replcert-tree";
  static final int SMALL_FILES = 1000;
  static final long LARGE_FILE_BYTES = 64L << 20;

  /** One path of the tree as the manifest sees it. */
  record Entry(String type, String permissions, String content) {}

  private FileTree() {}

  /**
   * The mounted file system at a publication's target, or empty when the driver exposes the
   * volume another way (the reference driver leaves a handle to its bytes, no file system).
   */
  static Optional<Path> fileSystemAt(Path target) {
    if (!Files.isDirectory(target) || HandleDescriptor.find(target, false).isPresent()) {
      return Optional.empty();
    }
    return Optional.of(target);
  }

  /** Writes the sample under {@code mount/replcert-tree}, flushed; returns its manifest. */
  static Map<String, Entry> write(Path mount) {
    return write(mount, SMALL_FILES, LARGE_FILE_BYTES);
  }

  /** The sample with fewer or smaller files (the harness's own tests). */
  static Map<String, Entry> write(Path mount, int smallFiles, long largeFileBytes) {
    Path root = mount.resolve(ROOT);
    try {
      Files.createDirectories(root.resolve("small"));
      for (int i = 0; i < smallFiles; i++) {
        writeFile(root.resolve("small").resolve(String.format("f%04d", i)), i, 512 + (i % 8) * 512);
      }
      Path deep = root.resolve("tree/a/b/c/d");
      Files.createDirectories(deep);
      writeFile(deep.resolve("leaf"), 1_000_001, 4096);
      writeFile(root.resolve("tree/a/top"), 1_000_002, 100);
      writeFile(root.resolve("large"), 1_000_003, largeFileBytes);
      Files.createSymbolicLink(root.resolve("link-to-leaf"), Path.of("tree/a/b/c/d/leaf"));
      String[] modes = {"rw-------", "rw-r-----", "rwxr-xr-x", "r--r--r--"};
      for (int i = 0; i < modes.length; i++) {
        Path file = root.resolve("mode-" + i);
        writeFile(file, 2_000_000 + i, 1024);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(modes[i]));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the sample file tree under " + root, e);
    }
    return manifest(mount);
  }

  /** Every path under {@code mount/replcert-tree}, relative to it, with what it holds. */
  static Map<String, Entry> manifest(Path mount) {
    Path root = mount.resolve(ROOT);
    Map<String, Entry> entries = new TreeMap<>();
    if (!Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)) {
      return entries;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path path : paths.toList()) {
        entries.put(root.relativize(path).toString(), entry(path));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the file tree under " + root, e);
    }
    return entries;
  }

  /** The paths that differ between two manifests, first few listed; empty when equal. */
  static List<String> differences(Map<String, Entry> expected, Map<String, Entry> actual) {
    List<String> differences = new ArrayList<>();
    for (var e : expected.entrySet()) {
      Entry found = actual.get(e.getKey());
      if (found == null) {
        differences.add(e.getKey() + ": missing");
      } else if (!found.equals(e.getValue())) {
        differences.add(e.getKey() + ": expected " + e.getValue() + ", found " + found);
      }
    }
    actual.keySet().stream()
        .filter(path -> !expected.containsKey(path))
        .forEach(path -> differences.add(path + ": not written on the primary"));
    return differences;
  }

  private static Entry entry(Path path) throws IOException {
    if (Files.isSymbolicLink(path)) {
      return new Entry("symlink", "", Files.readSymbolicLink(path).toString());
    }
    Set<PosixFilePermission> permissions =
        Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS);
    String mode = PosixFilePermissions.toString(permissions);
    if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
      return new Entry("directory", mode, "");
    }
    return new Entry("file", mode, Files.size(path) + " bytes, sha256 " + sha256(path));
  }

  /** Deterministic content from a seed, written and made durable before it counts. */
  private static void writeFile(Path file, long seed, long bytes) throws IOException {
    try (FileChannel channel =
        FileChannel.open(
            file,
            StandardOpenOption.CREATE,
            StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING)) {
      ByteBuffer chunk = ByteBuffer.allocate(1 << 16);
      long state = seed * 0x9E3779B97F4A7C15L;
      for (long written = 0; written < bytes; ) {
        chunk.clear();
        while (chunk.remaining() >= Long.BYTES) {
          state += 0x9E3779B97F4A7C15L;
          chunk.putLong(state ^ (state >>> 31));
        }
        chunk.flip();
        chunk.limit((int) Math.min(chunk.limit(), bytes - written));
        written += channel.write(chunk);
      }
      channel.force(true);
    }
  }

  private static String sha256(Path file) throws IOException {
    MessageDigest digest;
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
    try (var in = Files.newInputStream(file)) {
      byte[] buffer = new byte[1 << 16];
      for (int n; (n = in.read(buffer)) > 0; ) {
        digest.update(buffer, 0, n);
      }
    }
    return HexFormat.of().formatHex(digest.digest());
  }
}
