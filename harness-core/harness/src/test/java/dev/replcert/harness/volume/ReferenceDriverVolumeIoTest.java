package dev.replcert.harness.volume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.replcert.harness.volume.VolumeIoException.Kind;
import io.grpc.Status;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The reference driver's data path against a fake DataPath server on a real unix socket. */
class ReferenceDriverVolumeIoTest {

  private static final int SIZE = 64 * 1024;
  private static final Duration TIMEOUT = Duration.ofSeconds(5);

  private Path dir;
  private FakeDataPath driver;

  @BeforeEach
  void start() throws IOException {
    dir = Files.createTempDirectory("vio");
    driver = new FakeDataPath(dir, SIZE);
  }

  @AfterEach
  void stop() throws Exception {
    driver.stop();
    try (var files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  @Test
  void writesReadsAndFlushesThroughTheHandle() {
    try (VolumeIo volume = connect(Duration.ofSeconds(5))) {
      volume.write(4096, bytes("record-one"));
      volume.flush();

      assertThat(volume.read(4096, 10)).isEqualTo(bytes("record-one"));
      assertThat(volume.size()).isEqualTo(SIZE);
    }
    assertThat(driver.bytes(4096, 10)).isEqualTo(bytes("record-one"));
    assertThat(driver.flushes()).isEqualTo(1);
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "FAILED_PRECONDITION, READ_ONLY",
    "PERMISSION_DENIED, FENCED",
    "UNAVAILABLE, UNAVAILABLE",
    "OUT_OF_RANGE, OUT_OF_RANGE",
    "INTERNAL, IO",
  })
  void refusedWriteBecomesTheKindItMeans(Status.Code code, Kind kind) {
    driver.refuseAll(Status.fromCode(code));
    try (VolumeIo volume = connect(TIMEOUT)) {
      assertThatThrownBy(() -> volume.write(0, bytes("x")))
          .isInstanceOfSatisfying(
              VolumeIoException.class, e -> assertThat(e.kind()).isEqualTo(kind))
          .hasMessageContaining(FakeDataPath.VOLUME_ID)
          .hasMessageContaining(code.name());
    }
  }

  @Test
  void fencedClientCannotReadEither() {
    driver.refuseAll(Status.PERMISSION_DENIED);
    try (VolumeIo volume = connect(TIMEOUT)) {
      assertThatThrownBy(() -> volume.read(0, 512))
          .isInstanceOfSatisfying(
              VolumeIoException.class, e -> assertThat(e.kind()).isEqualTo(Kind.FENCED));
    }
  }

  @Test
  void callPastItsDeadlineIsUnavailable() {
    driver.neverAnswerFlush();
    try (VolumeIo volume = connect(Duration.ofMillis(300))) {
      assertThatThrownBy(volume::flush)
          .isInstanceOfSatisfying(
              VolumeIoException.class, e -> assertThat(e.kind()).isEqualTo(Kind.UNAVAILABLE))
          .hasMessageContaining("DEADLINE_EXCEEDED");
    }
  }

  @Test
  void socketWithoutServerIsUnavailable() throws Exception {
    driver.stop();
    try (VolumeIo volume = connect(TIMEOUT)) {
      assertThatThrownBy(() -> volume.read(0, 512))
          .isInstanceOfSatisfying(
              VolumeIoException.class, e -> assertThat(e.kind()).isEqualTo(Kind.UNAVAILABLE));
    }
  }

  @Test
  void shortReadIsAnErrorNotSilentlyShorterData() {
    driver.shortenReadsBy(1);
    try (VolumeIo volume = connect(TIMEOUT)) {
      assertThatThrownBy(() -> volume.read(0, 512))
          .isInstanceOfSatisfying(
              VolumeIoException.class, e -> assertThat(e.kind()).isEqualTo(Kind.IO))
          .hasMessageContaining("returned 511 bytes");
    }
  }

  @Test
  void rangeOutsideTheVolumeIsRefusedBeforeAnyCall() {
    try (VolumeIo volume = connect(TIMEOUT)) {
      assertThatThrownBy(() -> volume.write(SIZE - 1, bytes("xy")))
          .isInstanceOfSatisfying(
              VolumeIoException.class, e -> assertThat(e.kind()).isEqualTo(Kind.OUT_OF_RANGE));
    }
  }

  @Test
  void factoryUsesTheDataPathWhenAMountTargetHoldsADescriptor() throws IOException {
    Path target = Files.createDirectories(dir.resolve("mnt"));
    Files.writeString(target.resolve(HandleDescriptor.NAME), driver.descriptorJson());

    try (VolumeIo volume = PublishedVolume.open(target, false, SIZE, TIMEOUT)) {
      assertThat(volume).isInstanceOf(ReferenceDriverVolumeIo.class);
      volume.write(0, bytes("via-datapath"));
    }
    assertThat(driver.bytes(0, 12)).isEqualTo(bytes("via-datapath"));
    assertThat(target.resolve(FileVolumeIo.DATA_FILE)).doesNotExist();
  }

  @Test
  void factoryUsesTheDataPathWhenABlockTargetIsADescriptor() throws IOException {
    Path target = dir.resolve("blk");
    Files.writeString(target, "\n  " + driver.descriptorJson());

    try (VolumeIo volume = PublishedVolume.open(target, true, SIZE, TIMEOUT)) {
      assertThat(volume).isInstanceOf(ReferenceDriverVolumeIo.class);
      assertThat(((ReferenceDriverVolumeIo) volume).descriptor())
          .isEqualTo(
              new HandleDescriptor(
                  FakeDataPath.HANDLE, driver.socket.toString(), FakeDataPath.VOLUME_ID));
    }
  }

  @Test
  void factoryUsesFileIoWithoutADescriptor() throws IOException {
    Path mount = Files.createDirectories(dir.resolve("mnt"));
    Path device = dir.resolve("dev");
    Files.write(device, new byte[8192]);

    try (VolumeIo fs = PublishedVolume.open(mount, false, SIZE, TIMEOUT);
        VolumeIo blk = PublishedVolume.open(device, true, SIZE, TIMEOUT)) {
      assertThat(fs).isInstanceOf(FileVolumeIo.class);
      assertThat(blk).isInstanceOf(FileVolumeIo.class);
      assertThat(blk.size()).isEqualTo(8192);
    }
  }

  @Test
  void brokenDescriptorInAMountIsAnErrorNotAFallbackToFiles() throws IOException {
    Path target = Files.createDirectories(dir.resolve("mnt"));
    Files.writeString(target.resolve(HandleDescriptor.NAME), "{\"volumeId\": \"v\"}");

    assertThatThrownBy(() -> PublishedVolume.open(target, false, SIZE, TIMEOUT))
        .isInstanceOf(VolumeIoException.class)
        .hasMessageContaining("lacks handle or socket");
  }

  private VolumeIo connect(Duration rpcTimeout) {
    return new ReferenceDriverVolumeIo(
        new HandleDescriptor(FakeDataPath.HANDLE, driver.socket.toString(), FakeDataPath.VOLUME_ID),
        SIZE,
        rpcTimeout);
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }
}
