package dev.replcert.harness.volume;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * What the reference driver's NodePublishVolume leaves at a target path instead of a mount:
 * {@code {"handle": "...", "socket": "/path/controller.sock", "volumeId": "..."}}. The driver owns
 * the format (its {@code HandleFile}); the harness only reads it.
 *
 * <ul>
 *   <li>mount access type: the file {@value #NAME} inside the target directory;
 *   <li>block access type: the target path itself is the descriptor file.
 * </ul>
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record HandleDescriptor(String handle, String socket, String volumeId) {

  /** File name inside a mount-type target directory. */
  public static final String NAME = ".replcert-handle";

  // A descriptor is a few hundred bytes; anything much larger is a device or a data file.
  private static final long MAX_DESCRIPTOR_BYTES = 64 * 1024;
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * The descriptor at a target path, or empty when the path holds something else (a mounted
   * filesystem, a block device, a plain data file standing in for one).
   */
  public static Optional<HandleDescriptor> find(Path targetPath, boolean block) {
    Path file = block ? targetPath : targetPath.resolve(NAME);
    if (block && !looksLikeDescriptor(file)) {
      return Optional.empty();
    }
    if (!block && !Files.isRegularFile(file)) {
      return Optional.empty();
    }
    try {
      HandleDescriptor descriptor = JSON.readValue(file.toFile(), HandleDescriptor.class);
      if (descriptor.handle() == null || descriptor.socket() == null) {
        throw new VolumeIoException(
            VolumeIoException.Kind.IO, "handle descriptor " + file + " lacks handle or socket");
      }
      return Optional.of(descriptor);
    } catch (IOException e) {
      throw new VolumeIoException(
          VolumeIoException.Kind.IO, "cannot read handle descriptor " + file + ": " + e, e);
    }
  }

  /**
   * A block target is a descriptor only if it is a small regular file starting with '{': never
   * parse a device node, and a data file of records or zeros standing in for a device is not one.
   */
  private static boolean looksLikeDescriptor(Path file) {
    try {
      return Files.isRegularFile(file)
          && Files.size(file) <= MAX_DESCRIPTOR_BYTES
          && startsWithBrace(file);
    } catch (IOException e) {
      return false;
    }
  }

  private static boolean startsWithBrace(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      int c;
      do {
        c = in.read();
      } while (c == ' ' || c == '\n' || c == '\r' || c == '\t');
      return c == '{';
    }
  }

  /** Names the volume in error messages. */
  String describe() {
    return "volume " + volumeId + " (handle " + handle + " via unix://" + socket + ")";
  }
}
