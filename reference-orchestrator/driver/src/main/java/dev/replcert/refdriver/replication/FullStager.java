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

/**
 * Receives a full sync of one volume into a new sparse image beside it. Once the delta is complete
 * and durable the new image replaces the old one with a single rename: readers switch from the
 * previous point to the new one at once, blocks the primary does not hold end up zero, and every
 * byte is written once (this is the initial sync's fast path).
 *
 * <p>The receiving thread writes each message's blocks before it takes the next message (whose
 * parsing reuses the memory they lie in), each run of consecutive blocks with one gathering write;
 * the transport keeps receiving meanwhile. The image is synced to disk once, at the end (syncing
 * it piecemeal on the way was measured slower: each sync is a journal commit).
 */
final class FullStager {

  private final Path path;
  private final VolumeFile image;
  private final BitSet nonZero = new BitSet();
  private final boolean prefilled;
  private final List<Integer> indexes = new ArrayList<>();
  private final List<ByteString> blocks = new ArrayList<>();
  private boolean closed;

  /**
   * @param keepOld start from a copy of the current image instead of an empty one (only the
   *     RESYNC_KEEPS_DIVERGENT_DATA defect: blocks the primary does not send keep local data)
   */
  FullStager(Volume volume, String deltaId, boolean keepOld) {
    this.path = volume.stagingPath(deltaId);
    this.prefilled = keepOld;
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
      i = end;
    }
    indexes.clear();
    blocks.clear();
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
