package dev.replcert.refdriver.link;

import dev.replcert.refdriver.link.proto.Block;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The bulk delta connection's wire format, both directions (big-endian). The sender opens with
 * {@link #MAGIC}, then sends frames: {@link #HEADER} and {@link #COMMIT} carry a length-prefixed
 * DeltaChunk; a {@link #BLOCK} frame carries one block with its raw bytes after a fixed head, so
 * block data goes from the sender's read buffer to the receiver's staging write without any
 * serialization copy. The receiver answers one length-prefixed DeltaAck.
 */
final class BulkFrames {

  static final byte[] MAGIC = "RCBULK1\n".getBytes(StandardCharsets.US_ASCII);

  static final byte HEADER = 'H';
  static final byte BLOCK = 'B';
  static final byte COMMIT = 'C';

  /** kind, volume index, block index, zero flag, CRC32C, data length. */
  static final int BLOCK_HEAD = 1 + 4 + 8 + 1 + 4 + 4;

  /** kind, message length. */
  static final int MESSAGE_HEAD = 1 + 4;

  private BulkFrames() {}

  /** Writes the head of {@code block}'s frame at {@code head}'s position. */
  static void putBlockHead(ByteBuffer head, Block block) {
    head.put(BLOCK)
        .putInt(block.getVolumeIndex())
        .putLong(block.getIndex())
        .put((byte) (block.getZero() ? 1 : 0))
        .putInt(block.getCrc32C())
        .putInt(block.getZero() ? 0 : block.getData().size());
  }
}
