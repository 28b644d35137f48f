package dev.replcert.refdriver.replication;

import com.google.protobuf.UnsafeByteOperations;
import dev.replcert.refdriver.link.DeltaStream;
import dev.replcert.refdriver.link.proto.Block;
import dev.replcert.refdriver.link.proto.BlockBatch;
import dev.replcert.refdriver.link.proto.DeltaChunk;
import dev.replcert.refdriver.link.proto.DeltaCommit;
import dev.replcert.refdriver.link.proto.DeltaHeader;
import dev.replcert.refdriver.storage.Blocks;
import dev.replcert.refdriver.storage.PointInTimeView;
import dev.replcert.refdriver.storage.Volume;
import java.nio.ByteBuffer;
import java.util.BitSet;
import java.util.List;
import java.util.function.IntFunction;
import java.util.zip.CRC32C;

/**
 * Streams the blocks of point-in-time views to the peer: runs of up to 16 consecutive blocks are
 * read with one call, each block gets its CRC32C, all-zero blocks travel as a flag, and blocks are
 * batched into messages of about 256 KiB (small enough for the receiver to parse, verify and stage
 * one while the next arrives, without large allocations).
 */
final class DeltaSender {

  static final int BATCH_BYTES = 256 << 10;
  private static final int RUN_BLOCKS = BATCH_BYTES / Blocks.SIZE;

  /** What was shipped; {@code complete} is false when the peer ended the call early. */
  record Sent(long blocks, long dataBytes, boolean complete) {}

  private final boolean corrupt;

  /** One run buffer per syncing thread (a few), reused by every sync it runs. */
  private static final ThreadLocal<ByteBuffer> RUN =
      ThreadLocal.withInitial(() -> ByteBuffer.allocateDirect(RUN_BLOCKS * Blocks.SIZE));

  /** @param corrupt CORRUPT_BLOCK_IN_TRANSFER: flip a byte of one block per delta after checksumming */
  DeltaSender(boolean corrupt) {
    this.corrupt = corrupt;
  }

  /**
   * Sends header, blocks and commit.
   *
   * @param views the view of each volume, asked for when its turn comes (so a defect can freeze
   *     members one after another)
   * @param batchPerVolume end a batch at each volume's end (with views frozen late, this ships a
   *     member before the next one is frozen)
   */
  Sent ship(
      DeltaStream stream, DeltaHeader header, List<Volume> volumes, IntFunction<PointInTimeView> views, boolean batchPerVolume)
      throws InterruptedException {
    if (!stream.send(DeltaChunk.newBuilder().setHeader(header).build())) {
      return new Sent(0, 0, false);
    }
    Batch batch = new Batch(stream);
    boolean corrupted = false;
    // one buffer for every run: runs are read into it one after the other (scattered changed
    // blocks share a message), and the batch is sent (written out by the transport) before the
    // buffer starts over, so a large sync does not allocate its size in garbage; direct, so the
    // file read and the socket write go straight from and to it
    ByteBuffer run = RUN.get();
    int used = 0;
    CRC32C crc = new CRC32C();
    for (int v = 0; v < volumes.size(); v++) {
      Volume volume = volumes.get(v);
      PointInTimeView view = views.apply(v);
      BitSet blocks = view.blocks();
      int first = blocks.nextSetBit(0);
      while (first >= 0) {
        int end = blocks.nextClearBit(first);
        int count = Math.min(end - first, RUN_BLOCKS);
        if (used + count * Blocks.SIZE > run.capacity()) {
          if (batch.bytes > 0 && !batch.flush()) { // its blocks refer to the buffer
            return new Sent(batch.blocks, batch.dataBytes, false);
          }
          used = 0;
        }
        volume.readView(view, first, count, run, used);
        for (int i = 0; i < count; i++) {
          int index = first + i;
          int from = used + i * Blocks.SIZE;
          int length = Blocks.length(volume.capacity(), index);
          crc.reset();
          crc.update(run.slice(from, length));
          Block.Builder block =
              Block.newBuilder().setVolumeIndex(v).setIndex(index).setCrc32C((int) crc.getValue());
          if (Blocks.isZero(run, from, length)) {
            block.setZero(true);
          } else {
            if (corrupt && !corrupted) {
              int at = from + length / 2;
              run.put(at, (byte) (run.get(at) ^ 0x5a)); // after the checksum: the receiver must notice
              corrupted = true;
            }
            block.setData(UnsafeByteOperations.unsafeWrap(run.slice(from, length)));
          }
          if (!batch.add(block.build(), block.getZero() ? 0 : length)) {
            return new Sent(batch.blocks, batch.dataBytes, false);
          }
        }
        used += count * Blocks.SIZE;
        first = count < end - first ? first + count : blocks.nextSetBit(end);
      }
      if (batchPerVolume && !batch.flush()) {
        return new Sent(batch.blocks, batch.dataBytes, false);
      }
    }
    if (!batch.flush()) {
      return new Sent(batch.blocks, batch.dataBytes, false);
    }
    DeltaCommit commit = DeltaCommit.newBuilder().setBlockCount(batch.blocks).setDataBytes(batch.dataBytes).build();
    boolean sent = stream.send(DeltaChunk.newBuilder().setCommit(commit).build());
    return new Sent(batch.blocks, batch.dataBytes, sent);
  }

  /** Accumulates blocks into messages of about {@link #BATCH_BYTES}. */
  private static final class Batch {
    private final DeltaStream stream;
    private BlockBatch.Builder builder = BlockBatch.newBuilder();
    private int bytes;
    long blocks;
    long dataBytes;

    Batch(DeltaStream stream) {
      this.stream = stream;
    }

    boolean add(Block block, int length) throws InterruptedException {
      builder.addBlocks(block);
      bytes += length;
      blocks++;
      dataBytes += length;
      return bytes < BATCH_BYTES || flush();
    }

    boolean flush() throws InterruptedException {
      if (builder.getBlocksCount() == 0) {
        return true;
      }
      DeltaChunk chunk = DeltaChunk.newBuilder().setBlocks(builder).build();
      builder = BlockBatch.newBuilder();
      bytes = 0;
      return stream.send(chunk);
    }
  }
}
