package dev.replcert.harness.volume;

import dev.replcert.harness.volume.VolumeIoException.Kind;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A volume a real driver published: plain positional I/O on a {@link FileChannel}.
 *
 * <ul>
 *   <li>filesystem mode: the file {@value #DATA_FILE} in the mounted directory, created with the
 *       requested size on first open (only if absent, so a verifier never truncates what it is
 *       about to check);
 *   <li>block mode: the device file at the target path, never created.
 * </ul>
 *
 * Where the storage refuses writes (read-only mount, a demoted secondary, no write permission) the
 * volume still opens for reading, so the verifier can check a secondary, and writes fail with
 * {@link Kind#READ_ONLY}.
 */
public final class FileVolumeIo implements VolumeIo {

  /** The workload's file inside a mounted filesystem. */
  public static final String DATA_FILE = "replcert.data";

  private static final String EROFS = "Read-only file system";

  private final Path path;
  private final FileChannel channel;
  private final long size;
  private final boolean writable;

  private FileVolumeIo(Path path, FileChannel channel, long size, boolean writable) {
    this.path = path;
    this.channel = channel;
    this.size = size;
    this.writable = writable;
  }

  /** Opens for reading and writing, falling back to read-only where writes are refused. */
  public static FileVolumeIo open(Path targetPath, boolean block, long size) {
    Path path = block ? targetPath : targetPath.resolve(DATA_FILE);
    if (!block) {
      createIfAbsent(targetPath, path, size);
    }
    try {
      return opened(path, block, size, true);
    } catch (AccessDeniedException e) {
      return openReadOnly(targetPath, block, size);
    } catch (IOException e) {
      if (kindOf(e) == Kind.READ_ONLY) {
        return openReadOnly(targetPath, block, size);
      }
      throw failure(path, "open", e);
    }
  }

  /** Opens for reading only (verifying a secondary without any risk of writing to it). */
  public static FileVolumeIo openReadOnly(Path targetPath, boolean block, long size) {
    Path path = block ? targetPath : targetPath.resolve(DATA_FILE);
    try {
      return opened(path, block, size, false);
    } catch (IOException e) {
      throw failure(path, "open", e);
    }
  }

  private static FileVolumeIo opened(Path path, boolean block, long size, boolean writable)
      throws IOException {
    OpenOption[] options =
        writable
            ? new OpenOption[] {StandardOpenOption.READ, StandardOpenOption.WRITE}
            : new OpenOption[] {StandardOpenOption.READ};
    FileChannel channel = FileChannel.open(path, options);
    long actual = channel.size();
    // A block device may report size 0 through fstat; then the provisioned size is all we know.
    long usable = block && actual == 0 ? size : actual;
    return new FileVolumeIo(path, channel, usable, writable);
  }

  private static void createIfAbsent(Path directory, Path file, long size) {
    if (!Files.isDirectory(directory)) {
      throw new VolumeIoException(
          Kind.UNAVAILABLE, "target path " + directory + " is not a mounted directory");
    }
    if (Files.exists(file)) {
      return;
    }
    try (FileChannel channel =
        FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      // One zero byte at the end makes a sparse file of the full size.
      if (size > 0) {
        channel.write(ByteBuffer.allocate(1), size - 1);
      }
      channel.force(true);
    } catch (FileAlreadyExistsException e) {
      // another writer created it first: fine, use theirs
    } catch (IOException e) {
      throw failure(file, "create", e);
    }
  }

  @Override
  public long size() {
    return size;
  }

  @Override
  public void write(long offset, byte[] data) {
    Ranges.check(path.toString(), size, offset, data.length);
    if (!writable) {
      throw new VolumeIoException(Kind.READ_ONLY, path + " is open read-only: writes refused");
    }
    ByteBuffer buffer = ByteBuffer.wrap(data);
    try {
      while (buffer.hasRemaining()) {
        channel.write(buffer, offset + buffer.position());
      }
    } catch (IOException e) {
      throw failure(path, "write at " + offset, e);
    }
  }

  @Override
  public byte[] read(long offset, int length) {
    Ranges.check(path.toString(), size, offset, length);
    ByteBuffer buffer = ByteBuffer.allocate(length);
    try {
      while (buffer.hasRemaining()) {
        // End of file before the size (a file shrunk under us) reads as zeros: never-written
        // data, which the verifier reports as lost records rather than a harness crash.
        if (channel.read(buffer, offset + buffer.position()) < 0) {
          break;
        }
      }
    } catch (IOException e) {
      throw failure(path, "read at " + offset, e);
    }
    return buffer.array();
  }

  @Override
  public void flush() {
    try {
      // fdatasync: the data and what is needed to find it; the size was fixed at creation.
      channel.force(false);
    } catch (IOException e) {
      throw failure(path, "flush", e);
    }
  }

  @Override
  public void close() {
    try {
      channel.close();
    } catch (IOException e) {
      throw failure(path, "close", e);
    }
  }

  @Override
  public String toString() {
    return "FileVolumeIo[" + path + (writable ? "" : ", read-only") + ", " + size + " bytes]";
  }

  private static VolumeIoException failure(Path path, String what, IOException e) {
    return new VolumeIoException(kindOf(e), what + " failed on " + path + ": " + e, e);
  }

  /** Which kind an I/O error is; package-visible because EROFS cannot be staged as root. */
  static Kind kindOf(IOException e) {
    if (e instanceof AccessDeniedException) {
      return Kind.READ_ONLY;
    }
    if (e instanceof NoSuchFileException) {
      return Kind.UNAVAILABLE;
    }
    if (e instanceof ClosedChannelException) {
      return Kind.IO;
    }
    String reason = e instanceof FileSystemException fs ? fs.getReason() : e.getMessage();
    if (reason != null && reason.contains(EROFS)) {
      return Kind.READ_ONLY;
    }
    return Kind.IO;
  }
}
