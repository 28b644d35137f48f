package dev.replcert.refdriver.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
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

  @Test
  void syncRecordsAreDurableInTheSlotsAndTheNewestOfSlotsAndMetaJsonWins() throws Exception {
    Volume volume = volume(BLOCK);
    volume.recordMeta(m -> m.syncCount = 1);
    volume.recordMeta(m -> m.syncCount = 2);
    assertThat(AtomicFiles.readJson(tmp.resolve("v/meta.json"), VolumeMeta.class).syncCount)
        .as("a sync record does not rewrite meta.json")
        .isZero();
    // no close: a crash right after the record
    assertThat(Volume.load(tmp.resolve("v")).meta().syncCount).as("the newest record").isEqualTo(2);

    volume.updateMeta(m -> m.paused = true); // meta.json now newer than both slots
    assertThat(Volume.load(tmp.resolve("v")).meta()).satisfies(m -> {
      assertThat(m.paused).isTrue();
      assertThat(m.syncCount).as("meta.json carries what the records said").isEqualTo(2);
    });

    volume.recordMeta(m -> m.syncCount = 3);
    volume.close();
    try (RandomAccessFile slots = new RandomAccessFile(tmp.resolve("v/meta.slots").toFile(), "rw")) {
      long newest = slotHolding(slots, "\"syncCount\":3");
      slots.seek(newest + 20);
      slots.write("torn".getBytes(StandardCharsets.US_ASCII)); // a crash in the middle of that write
    }
    Volume afterTear = Volume.load(tmp.resolve("v"));
    assertThat(afterTear.meta().syncCount).as("a torn record falls back to the newest intact state").isEqualTo(2);
    assertThat(afterTear.meta().paused).isTrue();
    afterTear.recordMeta(m -> m.syncCount = 4); // goes into the torn slot: the intact one stays
    assertThat(Volume.load(tmp.resolve("v")).meta().syncCount).isEqualTo(4);
    afterTear.close();
  }

  /** The offset of the slot whose bytes contain {@code text}. */
  private static long slotHolding(RandomAccessFile slots, String text) throws Exception {
    for (long at = 0; at < slots.length(); at += MetaSlots.SLOT) {
      byte[] slot = new byte[MetaSlots.SLOT];
      slots.seek(at);
      slots.readFully(slot);
      if (new String(slot, StandardCharsets.US_ASCII).contains(text)) {
        return at;
      }
    }
    throw new AssertionError("no slot holds " + text);
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
