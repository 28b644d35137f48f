package dev.replcert.refdriver.storage;

import java.nio.channels.FileChannel;
import java.time.Instant;
import java.util.BitSet;
import java.util.HashMap;
import java.util.Map;

/**
 * A crash-consistent view of some blocks of a volume at one instant, taken under the volume's I/O
 * lock without copying anything: a write that lands on a block of the view before the sync has
 * read it first preserves the old content here (copy-on-write, as a storage snapshot does). The
 * sync then reads the view at its own pace while the workload keeps writing.
 */
public final class PointInTimeView {

  private final BitSet blocks;
  private final Instant time;
  private final boolean full;
  /** Blocks the sync has not read yet; guarded by the volume's I/O lock. */
  final BitSet unread;
  /** Old contents of unread blocks overwritten since the freeze; guarded by the I/O lock. */
  final Map<Integer, byte[]> preserved = new HashMap<>();
  /**
   * The image opened for this view's reads alone: positional reads into direct buffers (no copy
   * through the heap), and an interrupt of the syncing thread, which closes a channel, closes only
   * this one, never the volume's own file.
   */
  final FileChannel source;

  PointInTimeView(BitSet blocks, Instant time, boolean full, FileChannel source) {
    this.source = source;
    this.blocks = blocks;
    this.time = time;
    this.full = full;
    this.unread = (BitSet) blocks.clone();
  }

  /** The blocks of the view (do not modify). */
  public BitSet blocks() {
    return blocks;
  }

  public Instant time() {
    return time;
  }

  /** Whether it holds every allocated block (a full sync) rather than the changed ones. */
  public boolean full() {
    return full;
  }

  public int blockCount() {
    return blocks.cardinality();
  }
}
