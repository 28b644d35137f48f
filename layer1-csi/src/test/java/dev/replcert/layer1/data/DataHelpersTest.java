package dev.replcert.layer1.data;

import static org.assertj.core.api.Assertions.assertThat;

import dev.replcert.harness.volume.MemoryVolumeIo;
import dev.replcert.harness.workload.RecordFormat;
import dev.replcert.harness.workload.RecordVerifier;
import dev.replcert.harness.workload.RecordWriter;
import dev.replcert.harness.workload.Verification;
import dev.replcert.layer1.support.VolumeWindow;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The data suites' own helpers, without a driver. */
class DataHelpersTest {

  private static final RecordFormat FORMAT = new RecordFormat(512);

  @Test
  void theDescendingLayoutStoresNewerRecordsBelowOlderOnesAndReadsThemBackInOrder() {
    MemoryVolumeIo volume = new MemoryVolumeIo(16 * 512);
    DescendingLayout log = DescendingLayout.over(volume, FORMAT);
    UUID run = UUID.randomUUID();
    RecordWriter.builder(log, run).format(FORMAT).recordsPerSecond(0).build().writeRecords(3);

    assertThat(new RecordVerifier(log, FORMAT, run).verify().lastContiguous()).isEqualTo(2);
    // record 0 in the last physical slot, record 2 three slots below it
    assertThat(FORMAT.decode(volume.read(15 * 512, 512), 0, run, 0)).hasToString(
        FORMAT.decode(log.read(0, 512), 0, run, 0).toString());
    assertThat(volume.read(12 * 512, 512)).containsOnly(0);
  }

  @Test
  void theWindowHidesEverythingPastIt() {
    MemoryVolumeIo volume = new MemoryVolumeIo(16 * 512);
    VolumeWindow window = VolumeWindow.of(volume, 4 * 512);
    UUID run = UUID.randomUUID();
    RecordWriter writer = RecordWriter.builder(window, run).format(FORMAT).build();

    assertThat(window.size()).isEqualTo(4 * 512);
    try {
      writer.writeRecords(5);
    } catch (RuntimeException expected) {
      // the fifth record does not fit the window
    }
    assertThat(writer.report().lastAcked()).isEqualTo(3);
  }

  @Test
  void theSecondaryWatchReportsARecordWithoutItsPredecessor() throws Exception {
    MemoryVolumeIo volume = new MemoryVolumeIo(16 * 512);
    UUID run = UUID.randomUUID();
    for (long slot : new long[] {0, 1, 3}) {
      volume.write(FORMAT.offsetOf(slot), FORMAT.encode(run, slot, Instant.now()));
    }
    SecondaryWatch watch = new SecondaryWatch(volume, FORMAT, run);
    watch.start();
    while (watch.violation() == null && watch.reads() < 50) {
      Thread.onSpinWait();
    }
    watch.stop();

    assertThat(watch.violation()).startsWith("record #3 is on the secondary but record #2 is not");
  }

  @Test
  void theSecondaryWatchAcceptsAnUnbrokenSequenceWithATornTail() throws Exception {
    MemoryVolumeIo volume = new MemoryVolumeIo(16 * 512);
    UUID run = UUID.randomUUID();
    for (long slot = 0; slot < 4; slot++) {
      volume.write(FORMAT.offsetOf(slot), FORMAT.encode(run, slot, Instant.now()));
    }
    byte[] torn = FORMAT.encode(run, 4, Instant.now());
    torn[300] ^= 1;
    volume.write(FORMAT.offsetOf(4), torn);
    SecondaryWatch watch = new SecondaryWatch(volume, FORMAT, run);
    watch.start();
    while (watch.reads() < 20) {
      Thread.onSpinWait();
    }
    watch.stop();

    assertThat(watch.violation()).isNull();
  }

  @Test
  void theFileTreeManifestSeesEveryDifference(@TempDir Path east, @TempDir Path west)
      throws Exception {
    Map<String, FileTree.Entry> written = FileTree.write(east, 20, 1 << 20);
    assertThat(written).containsKeys("small/f0019", "large", "link-to-leaf", "tree/a/b/c/d/leaf");
    assertThat(FileTree.differences(written, FileTree.manifest(east))).isEmpty();

    assertThat(FileTree.differences(written, FileTree.manifest(west))).hasSize(written.size());
    FileTree.write(west, 20, 1 << 20);
    Files.writeString(west.resolve(FileTree.ROOT).resolve("small/f0001"), "changed");
    Files.delete(west.resolve(FileTree.ROOT).resolve("link-to-leaf"));
    assertThat(FileTree.differences(written, FileTree.manifest(west)))
        .hasSize(2)
        .anyMatch(d -> d.startsWith("small/f0001: expected"))
        .anyMatch(d -> d.equals("link-to-leaf: missing"));
  }

  @Test
  void aHandleDescriptorIsNoFileSystem(@TempDir Path target) throws Exception {
    assertThat(FileTree.fileSystemAt(target)).contains(target);
    Files.writeString(
        target.resolve(".replcert-handle"), "{\"handle\":\"h\",\"socket\":\"/s\",\"volumeId\":\"v\"}");
    assertThat(FileTree.fileSystemAt(target)).isEmpty();
  }

  @Test
  void verificationIgnoresRecordsOutsideTheWindow() {
    MemoryVolumeIo volume = new MemoryVolumeIo(16 * 512);
    UUID run = UUID.randomUUID();
    RecordWriter.builder(volume, run).format(FORMAT).build().writeRecords(6);
    Verification inWindow = new RecordVerifier(VolumeWindow.of(volume, 4 * 512), FORMAT, run).verify();
    assertThat(inWindow.slotsScanned()).isEqualTo(4);
  }
}
