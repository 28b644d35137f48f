package dev.replcert.refdriver.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/** Preparing a unix socket path for binding, with the errors an operator can act on. */
final class UnixSockets {

  /** sun_path is 108 bytes on Linux, including the terminating NUL. */
  static final int MAX_PATH_BYTES = 107;

  private UnixSockets() {}

  /**
   * Makes {@code path} bindable: creates its directory, deletes a stale socket file left by a
   * process that died, and refuses a socket a live process still serves or a path that is not a
   * socket at all (deleting someone's regular file would be worse than failing).
   */
  static void prepare(Path path) {
    if (path.toAbsolutePath().toString().getBytes(StandardCharsets.UTF_8).length > MAX_PATH_BYTES) {
      throw new IllegalArgumentException(
          "socket path " + path + " is longer than " + MAX_PATH_BYTES + " bytes, the unix socket limit");
    }
    try {
      Path parent = path.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      BasicFileAttributes attributes;
      try {
        attributes = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      } catch (NoSuchFileException free) {
        return;
      }
      if (!attributes.isOther()) {
        throw new IllegalStateException("socket path " + path + " exists and is not a socket");
      }
      if (isServed(path)) {
        throw new IllegalStateException("socket " + path + " is in use by another process");
      }
      Files.deleteIfExists(path);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare socket " + path, e);
    }
  }

  /** Whether something accepts connections on the socket (a stale file refuses them). */
  static boolean isServed(Path path) {
    try (SocketChannel probe = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      probe.connect(UnixDomainSocketAddress.of(path));
      return true;
    } catch (ConnectException refused) {
      return false;
    } catch (IOException other) {
      return false;
    }
  }

  static void delete(Path path) {
    try {
      Files.deleteIfExists(path);
    } catch (IOException ignored) {
      // best effort on shutdown; a stale file is cleaned up by the next start
    }
  }
}
