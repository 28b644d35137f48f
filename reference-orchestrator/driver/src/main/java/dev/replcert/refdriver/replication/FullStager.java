package dev.replcert.refdriver.replication;

import com.google.protobuf.ByteString;
import dev.replcert.refdriver.storage.AtomicFiles;
import dev.replcert.refdriver.storage.Blocks;
import dev.replcert.refdriver.storage.Volume;
import dev.replcert.refdriver.storage.VolumeFile;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Receives a full sync of one volume into a new sparse image beside it. Once the delta is complete
 * and durable the new image replaces the old one with a single rename: readers switch from the
 * previous point to the new one at once, blocks the primary does not hold end up zero, and every
 * byte is written once (this is the initial sync's fast path).
 *
 * <p>The receiving thread writes each message's blocks before it takes the next message (whose
 * parsing reuses the memory they lie in), each run of consecutive blocks with one gathering write;
 * the transport keeps receiving meanwhile. Every {@link #WRITEBACK_BYTES} written, another thread
 * syncs the image in the background (the receiving thread never waits for it), so the disk writes
 * it back while the rest arrives and the sync that makes the staged image durable at the end has
 * only the tail left to write.
 */
final class FullStager {

  private final Path path;
  private final VolumeFile image;
  private final BitSet nonZero = new BitSet();
  private final boolean prefilled;
  private final List<Integer> indexes = new ArrayList<>();
  private final List<ByteString> blocks = new ArrayList<>();
  private boolean closed;
  private final Executor syncer;
  private long unsynced;
  private final AtomicBoolean syncing = new AtomicBoolean();

  /** Bytes written between two background syncs of the staged image. */
  static final long WRITEBACK_BYTES = 32L << 20;

  /**
   * @param keepOld start from a copy of the current image instead of an empty one (only the
   *     RESYNC_KEEPS_DIVERGENT_DATA defect: blocks the primary does not send keep local data)
   * @param syncer runs the background syncs
   */
  FullStager(Volume volume, String deltaId, boolean keepOld, Executor syncer) {
    this.path = volume.stagingPath(deltaId);
    this.prefilled = keepOld;
    this.syncer = syncer;
    if (keepOld) {
      nonZero.or(volume.copyTo(path));
    } else {
      VolumeFile.createSparse(path, volume.capacity());
    }
    this.image = VolumeFile.open(path, volume.capacity());
  }

  /** Adds one block (null = zeros) to those the next {@link #flush} writes. */
  void add(int index, ByteString data) {
    if (data == null) {
      nonZero.clear(index);
      if (!prefilled) {
        return; // the new image is sparse: the block already reads as zeros
      }
    } else {
      nonZero.set(index);
    }
    indexes.add(index);
    blocks.add(data);
  }

  /** Writes the blocks added since the last flush (one message's worth). */
  void flush() {
    int i = 0;
    while (i < indexes.size()) {
      int first = indexes.get(i);
      if (blocks.get(i) == null) {
        image.zeroBlock(first);
        i++;
        continue;
      }
      int end = i + 1;
      while (end < indexes.size() && blocks.get(end) != null && indexes.get(end) == first + (end - i)) {
        end++;
      }
      ByteBuffer[] run = new ByteBuffer[end - i];
      for (int j = i; j < end; j++) {
        run[j - i] = blocks.get(j).asReadOnlyByteBuffer();
      }
      image.write(Blocks.offset(first), run);
      unsynced += (long) (end - i) * Blocks.SIZE;
      i = end;
    }
    indexes.clear();
    blocks.clear();
    if (unsynced >= WRITEBACK_BYTES && syncing.compareAndSet(false, true)) {
      unsynced = 0;
      try {
        syncer.execute(this::backgroundSync);
      } catch (RejectedExecutionException e) {
        syncing.set(false); // closing
      }
    }
  }

  /** Starts the disk's writeback early; the final sync in {@link #seal} is the one that counts. */
  private void backgroundSync() {
    try {
      image.force();
    } catch (RuntimeException e) {
      // closed meanwhile (discarded), or a failure the final sync reports
    } finally {
      syncing.set(false);
    }
  }

  /** Writes what is left and makes the staged image durable. */
  void seal() {
    flush();
    image.force();
    close();
  }

  BitSet allocated() {
    return nonZero;
  }

  /** Drops the staged image. */
  void discard() {
    indexes.clear();
    blocks.clear();
    close();
    AtomicFiles.deleteIfExists(path);
  }

  private void close() {
    if (!closed) {
      closed = true;
      image.close();
    }
  }
}
