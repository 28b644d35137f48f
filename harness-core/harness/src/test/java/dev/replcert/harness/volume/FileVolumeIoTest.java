package dev.replcert.harness.volume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.replcert.harness.volume.VolumeIoException.Kind;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** File I/O on temp files laid out as a real driver's mount or block device would be. */
class FileVolumeIoTest {

  private static final int SIZE = 1 << 20;

  @TempDir Path dir;

  @Test
  void filesystemModeCreatesTheDataFileWithTheRequestedSize() throws IOException {
    try (VolumeIo volume = FileVolumeIo.open(dir, false, SIZE)) {
      volume.write(SIZE - 4, bytes("tail"));
      volume.flush();

      assertThat(volume.size()).isEqualTo(SIZE);
      assertThat(volume.read(SIZE - 4, 4)).isEqualTo(bytes("tail"));
      assertThat(volume.read(0, 4)).containsOnly(0);
    }
    assertThat(Files.size(dir.resolve(FileVolumeIo.DATA_FILE))).isEqualTo(SIZE);
  }

  @Test
  void reopeningKeepsTheDataAndTheSizeAlreadyThere() {
    try (VolumeIo volume = FileVolumeIo.open(dir, false, SIZE)) {
      volume.write(100, bytes("kept"));
    }
    try (VolumeIo again = FileVolumeIo.open(dir, false, 2 * SIZE)) {
      assertThat(again.size()).isEqualTo(SIZE);
      assertThat(again.read(100, 4)).isEqualTo(bytes("kept"));
    }
  }

  @Test
  void blockModeUsesTheDeviceFileAtTheTargetPath() throws IOException {
    Path device = dir.resolve("dev-xvdb");
    Files.write(device, new byte[64 * 1024]);

    try (VolumeIo volume = FileVolumeIo.open(device, true, SIZE)) {
      volume.write(0, bytes("block"));
      assertThat(volume.size()).isEqualTo(64 * 1024);
    }
    assertThat(Files.readAllBytes(device)).startsWith(bytes("block")).hasSize(64 * 1024);
  }

  @Test
  void missingDeviceOrMountIsUnavailable() {
    assertThatThrownBy(() -> FileVolumeIo.open(dir.resolve("no-dev"), true, SIZE))
        .isInstanceOfSatisfying(
            VolumeIoException.class, e -> assertThat(e.kind()).isEqualTo(Kind.UNAVAILABLE))
        .hasMessageContaining("no-dev");
    assertThatThrownBy(() -> FileVolumeIo.open(dir.resolve("no-mount"), false, SIZE))
        .isInstanceOfSatisfying(
            VolumeIoException.class, e -> assertThat(e.kind()).isEqualTo(Kind.UNAVAILABLE))
        .hasMessageContaining("not a mounted directory");
  }

  @Test
  void rangeOutsideTheVolumeIsOutOfRangeAndDoesNotGrowTheFile() throws IOException {
    try (VolumeIo volume = FileVolumeIo.open(dir, false, SIZE)) {
      assertThatThrownBy(() -> volume.write(SIZE - 2, bytes("four")))
          .isInstanceOfSatisfying(
              VolumeIoException.class, e -> assertThat(e.kind()).isEqualTo(Kind.OUT_OF_RANGE))
          .hasMessageContaining(FileVolumeIo.DATA_FILE);
      assertThatThrownBy(() -> volume.read(-1, 4))
          .isInstanceOfSatisfying(
              VolumeIoException.class, e -> assertThat(e.kind()).isEqualTo(Kind.OUT_OF_RANGE));
    }
    assertThat(Files.size(dir.resolve(FileVolumeIo.DATA_FILE))).isEqualTo(SIZE);
  }

  @Test
  void volumeOpenedReadOnlyRefusesWritesAsReadOnly() {
    try (VolumeIo volume = FileVolumeIo.open(dir, false, SIZE)) {
      volume.write(0, bytes("primary"));
    }
    try (VolumeIo secondary = FileVolumeIo.openReadOnly(dir, false, SIZE)) {
      assertThat(secondary.read(0, 7)).isEqualTo(bytes("primary"));
      assertThatThrownBy(() -> secondary.write(0, bytes("x")))
          .isInstanceOfSatisfying(
              VolumeIoException.class, e -> assertThat(e.kind()).isEqualTo(Kind.READ_ONLY))
          .hasMessageContaining(FileVolumeIo.DATA_FILE);
    }
  }

  @Test
  void fileWithoutWritePermissionOpensForReadingAndRefusesWrites() throws IOException {
    assumeThat(System.getProperty("user.name"))
        .as("root ignores file permissions, so the refusal cannot be staged")
        .isNotEqualTo("root");
    try (VolumeIo volume = FileVolumeIo.open(dir, false, SIZE)) {
      volume.write(0, bytes("data"));
    }
    Files.setPosixFilePermissions(
        dir.resolve(FileVolumeIo.DATA_FILE), PosixFilePermissions.fromString("r--r--r--"));

    try (VolumeIo volume = FileVolumeIo.open(dir, false, SIZE)) {
      assertThat(volume.read(0, 4)).isEqualTo(bytes("data"));
      assertThatThrownBy(() -> volume.write(0, bytes("x")))
          .isInstanceOfSatisfying(
              VolumeIoException.class, e -> assertThat(e.kind()).isEqualTo(Kind.READ_ONLY));
    }
  }

  @Test
  void readOnlyFileSystemAndDeniedAccessMapToReadOnly() {
    // EROFS as the JDK reports it, on open and on a write to an already open file
    FileSystemException erofs = new FileSystemException("/mnt/v", null, "Read-only file system");
    assertThat(FileVolumeIo.kindOf(erofs)).isEqualTo(Kind.READ_ONLY);
    assertThat(FileVolumeIo.kindOf(new IOException("Read-only file system")))
        .isEqualTo(Kind.READ_ONLY);
    assertThat(FileVolumeIo.kindOf(new AccessDeniedException("/mnt/v"))).isEqualTo(Kind.READ_ONLY);
    assertThat(FileVolumeIo.kindOf(new IOException("Input/output error"))).isEqualTo(Kind.IO);
  }

  @Test
  void closedVolumeFailsWithIo() {
    VolumeIo volume = FileVolumeIo.open(dir, false, SIZE);
    volume.close();

    assertThatThrownBy(() -> volume.read(0, 4))
        .isInstanceOfSatisfying(
            VolumeIoException.class, e -> assertThat(e.kind()).isEqualTo(Kind.IO));
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }
}
