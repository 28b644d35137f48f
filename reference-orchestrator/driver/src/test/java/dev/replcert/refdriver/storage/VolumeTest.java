package dev.replcert.refdriver.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The block store: point-in-time views, changed-block tracking, block maps across restarts. */
class VolumeTest {

  private static final int BLOCK = Blocks.SIZE;

  @TempDir Path tmp;

  @Test
  void viewShowsTheFrozenContentWhileWritesGoOn() {
    Volume volume = volume(4L * BLOCK + 100); // a short last block
    volume.write(0, filled(1, 2 * BLOCK), () -> {});
    volume.ioLock().lock();
    PointInTimeView view;
    try {
      view = volume.freeze(false, Instant.now());
    } finally {
      volume.ioLock().unlock();
    }
    assertThat(view.blocks().cardinality()).isEqualTo(2);
    volume.write(10, filled(2, 100), () -> {}); // overwrites frozen block 0 before it was read
    ByteBuffer buffer = ByteBuffer.allocateDirect(2 * BLOCK);
    volume.readView(view, 0, 2, buffer, 0);
    byte[] run = new byte[2 * BLOCK];
    buffer.get(run);
    assertThat(run).as("the content at the freeze").isEqualTo(filled(1, 2 * BLOCK));
    assertThat(volume.dirtyBlocks()).as("the new write is tracked for the next sync").isEqualTo(1);

    volume.finishView(view, false); // not acknowledged: both blocks must ship again
    assertThat(volume.dirtyBlocks()).isEqualTo(2);
    volume.close();
  }

  @Test
  void blockMapsSurviveACleanStopAndAreRebuiltAfterAnUncleanOne() {
    Volume volume = volume(8L * BLOCK);
    volume.write(3L * BLOCK + 5, filled(3, 10), () -> {});
    volume.close();
    Volume reopened = Volume.load(tmp.resolve("v"));
    assertThat(reopened.mapsLost()).isFalse();
    assertThat(reopened.dirtyBlocks()).isEqualTo(1);
    assertThat(reopened.allocated().stream().toArray()).containsExactly(3);

    reopened.write(6L * BLOCK, filled(4, 10), () -> {}); // the saved maps are stale from here on
    assertThat(Files.exists(tmp.resolve("v/bitmaps.bin"))).isFalse();
    // no close: an unclean stop
    Volume recovered = Volume.load(tmp.resolve("v"));
    assertThat(recovered.mapsLost()).as("the next sync must be full").isTrue();
    assertThat(recovered.allocated().stream().toArray()).containsExactly(3, 6);
    recovered.close();
  }

  @Test
  void metadataUpdatesAreCopiesPersistedBeforeTheyShow() {
    Volume volume = volume(BLOCK);
    VolumeMeta before = volume.meta();
    volume.updateMeta(m -> m.paused = true);
    assertThat(before.paused).as("a published meta is never changed").isFalse();
    assertThat(AtomicFiles.readJson(tmp.resolve("v/meta.json"), VolumeMeta.class).paused).isTrue();
    volume.close();
  }

  private Volume volume(long capacity) {
    VolumeMeta meta = new VolumeMeta();
    meta.id = "vol-test";
    meta.name = "test";
    meta.capacityBytes = capacity;
    meta.blockSize = BLOCK;
    meta.createdAt = Instant.now();
    return Volume.create(tmp.resolve("v"), meta);
  }

  private static byte[] filled(int value, int length) {
    byte[] data = new byte[length];
    Arrays.fill(data, (byte) value);
    return data;
  }
}
