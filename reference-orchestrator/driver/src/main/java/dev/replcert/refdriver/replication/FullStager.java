package dev.replcert.refdriver.replication;

import com.google.protobuf.ByteString;
import dev.replcert.refdriver.storage.AtomicFiles;
import dev.replcert.refdriver.storage.Blocks;
import dev.replcert.refdriver.storage.Volume;
import dev.replcert.refdriver.storage.VolumeFile;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.concurrent.Executor;
import java.util.concurrent.Semaphore;

/**
 * Receives a full sync of one volume into a new sparse image beside it. Once the delta is complete
 * and durable the new image replaces the old one with a single rename: readers switch from the
 * previous point to the new one at once, blocks the primary does not hold end up zero, and every
 * byte is written once (this is the initial sync's fast path).
 *
 * <p>Writes run on a separate writer thread, a few MiB behind the receiving thread, so checking
 * checksums and writing the image overlap. The image is synced to disk once, at the end (syncing
 * it piecemeal on the way was measured slower: each sync is a journal commit).
 */
final class FullStager {

  /** Blocks handed to the writer and not written yet (bounds the memory held). */
  private static final int IN_FLIGHT = 64;

  private final Path path;
  private final VolumeFile image;
  private final BitSet nonZero = new BitSet();
  private final boolean prefilled;
  private final Executor writer;
  private final Semaphore budget = new Semaphore(IN_FLIGHT);
  private volatile RuntimeException failure;
  private boolean closed;

  /**
   * @param keepOld start from a copy of the current image instead of an empty one (only the
   *     RESYNC_KEEPS_DIVERGENT_DATA defect: blocks the primary does not send keep local data)
   * @param writer runs the writes, in order
   */
  FullStager(Volume volume, String deltaId, boolean keepOld, Executor writer) {
    this.path = volume.stagingPath(deltaId);
    this.prefilled = keepOld;
    this.writer = writer;
    if (keepOld) {
      nonZero.or(volume.copyTo(path));
    } else {
      VolumeFile.createSparse(path, volume.capacity());
    }
    this.image = VolumeFile.open(path, volume.capacity());
  }

  /** Queues one block (null = zeros); fails if an earlier write failed. */
  void write(int index, ByteString data) throws InterruptedException {
    checkFailure();
    if (data == null) {
      nonZero.clear(index);
      if (!prefilled) {
        return; // the new image is sparse: the block already reads as zeros
      }
    } else {
      nonZero.set(index);
    }
    budget.acquire();
    writer.execute(
        () -> {
          try {
            if (failure == null) {
              if (data == null) {
                image.zeroBlock(index);
              } else {
                image.write(Blocks.offset(index), data);
              }
            }
          } catch (RuntimeException e) {
            failure = e;
          } finally {
            budget.release();
          }
        });
  }

  /** Waits for the queued writes and makes the staged image durable. */
  void seal() throws InterruptedException {
    drain();
    checkFailure();
    image.force();
    close();
  }

  BitSet allocated() {
    return nonZero;
  }

  /** Drops the staged image (waits for queued writes first: they must not recreate it). */
  void discard() {
    try {
      drain();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    close();
    AtomicFiles.deleteIfExists(path);
  }

  private void drain() throws InterruptedException {
    budget.acquire(IN_FLIGHT);
    budget.release(IN_FLIGHT);
  }

  private void close() {
    if (!closed) {
      closed = true;
      image.close();
    }
  }

  private void checkFailure() {
    if (failure != null) {
      throw failure;
    }
  }
}
