package dev.replcert.refdriver.link;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.UnsafeByteOperations;
import dev.replcert.refdriver.link.proto.Block;
import dev.replcert.refdriver.link.proto.BlockBatch;
import dev.replcert.refdriver.link.proto.DeltaAck;
import dev.replcert.refdriver.link.proto.DeltaChunk;
import dev.replcert.refdriver.storage.Blocks;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.Arrays;

/**
 * The receiving end of a bulk connection, one delta after another: reads frames into one direct buffer and hands the receiver
 * the same chunks ShipDelta would, each block's data aliasing the buffer (valid only until the
 * receiver's {@code onNext} returns, as with {@link AliasingChunks}): all the complete block
 * frames in the buffer make one batch. The data goes from the socket into the buffer and from
 * there into the staged image, with no copy in between. A delta answered after its commit leaves the
 * connection in step for the sender's next delta; one answered earlier (a rejection) ends it.
 */
final class BulkConnection implements Runnable {

  /**
   * Small enough that what one read brings in is still in the CPU's cache when it is checksummed
   * and written out (a 4 MiB buffer made the receiver markedly slower), large enough for a block
   * frame and for few system calls.
   */
  private static final int BUFFER = 512 << 10;
  /** One buffer per connection thread, reused by its next delta (the pool keeps threads a while). */
  private static final ThreadLocal<ByteBuffer> BUFFERS = ThreadLocal.withInitial(() -> ByteBuffer.allocateDirect(BUFFER));

  private final SocketChannel channel;
  private final LinkHandler handler;
  private final ByteBuffer in = BUFFERS.get().clear().flip();
  private volatile boolean answered;
  /** The current delta's commit was handed to its receiver. */
  private boolean committed;

  BulkConnection(SocketChannel channel, LinkHandler handler) {
    this.channel = channel;
    this.handler = handler;
  }

  @Override
  public void run() {
    StreamObserver<DeltaChunk> receiver = null;
    try (channel) {
      byte[] magic = new byte[BulkFrames.MAGIC.length];
      if (!fill(magic.length)) {
        return;
      }
      in.get(magic);
      if (!Arrays.equals(magic, BulkFrames.MAGIC)) {
        return; // not a delta sender
      }
      do {
        if (!fill(1)) {
          return; // the sender hung up between deltas
        }
        answered = false;
        committed = false;
        receiver = handler.receiveDelta(new Answers());
        while (!answered) {
          if (!deliverFrames(receiver)) {
            in.compact();
            int n = channel.read(in);
            in.flip();
            if (n < 0) {
              if (!answered) {
                receiver.onCompleted(); // the sender ended before its commit
              }
              return;
            }
          }
        }
      } while (committed && channel.isOpen());
      drain();
    } catch (IOException | RuntimeException e) {
      if (receiver != null && !answered) {
        receiver.onError(e);
      }
    }
  }

  /**
   * Hands the receiver every complete frame in the buffer (blocks as one batch, in order with the
   * messages). Returns false when more bytes are needed.
   */
  private boolean deliverFrames(StreamObserver<DeltaChunk> receiver) throws IOException {
    BlockBatch.Builder batch = BlockBatch.newBuilder();
    boolean progress = false;
    while (in.remaining() >= 1 && !answered) {
      int at = in.position();
      byte kind = in.get(at);
      if (kind == BulkFrames.BLOCK) {
        if (in.remaining() < BulkFrames.BLOCK_HEAD) {
          break;
        }
        int length = in.getInt(at + BulkFrames.BLOCK_HEAD - 4);
        if (length < 0 || length > Blocks.SIZE) {
          throw new IOException("block frame of " + length + " bytes");
        }
        if (in.remaining() < BulkFrames.BLOCK_HEAD + length) {
          break;
        }
        Block.Builder block =
            Block.newBuilder()
                .setVolumeIndex(in.getInt(at + 1))
                .setIndex(in.getLong(at + 5))
                .setZero(in.get(at + 13) != 0)
                .setCrc32C(in.getInt(at + 14));
        if (length > 0) {
          block.setData(UnsafeByteOperations.unsafeWrap(in.slice(at + BulkFrames.BLOCK_HEAD, length)));
        }
        batch.addBlocks(block);
        in.position(at + BulkFrames.BLOCK_HEAD + length);
      } else if (kind == BulkFrames.HEADER || kind == BulkFrames.COMMIT) {
        if (in.remaining() < BulkFrames.MESSAGE_HEAD) {
          break;
        }
        int length = in.getInt(at + 1);
        if (length < 0 || length > LinkServer.MAX_MESSAGE) {
          throw new IOException("message frame of " + length + " bytes");
        }
        deliver(receiver, batch);
        in.position(at + BulkFrames.MESSAGE_HEAD);
        committed = kind == BulkFrames.COMMIT;
        receiver.onNext(DeltaChunk.parseFrom(CodedInputStream.newInstance(message(length))));
      } else {
        throw new IOException("unknown frame " + kind);
      }
      progress = true;
    }
    deliver(receiver, batch);
    return progress;
  }

  private static void deliver(StreamObserver<DeltaChunk> receiver, BlockBatch.Builder batch) {
    if (batch.getBlocksCount() > 0) {
      receiver.onNext(DeltaChunk.newBuilder().setBlocks(batch).build());
      batch.clear();
    }
  }

  /** The next {@code length} bytes as one buffer (read past the buffer's end when larger). */
  private ByteBuffer message(int length) throws IOException {
    if (length <= in.capacity()) {
      if (!fill(length)) {
        throw new IOException("the sender ended inside a message");
      }
      ByteBuffer message = in.slice(in.position(), length);
      in.position(in.position() + length);
      return message;
    }
    ByteBuffer message = ByteBuffer.allocate(length);
    while (message.hasRemaining()) {
      if (!in.hasRemaining()) {
        if (!fill(1)) {
          throw new IOException("the sender ended inside a message");
        }
      }
      int n = Math.min(in.remaining(), message.remaining());
      message.put(in.slice(in.position(), n));
      in.position(in.position() + n);
    }
    return message.flip();
  }

  /** Reads until at least {@code bytes} are buffered; false at the end of the stream. */
  private boolean fill(int bytes) throws IOException {
    if (in.remaining() >= bytes) {
      return true;
    }
    in.compact();
    try {
      while (in.position() < bytes) {
        if (channel.read(in) < 0) {
          return false;
        }
      }
    } finally {
      in.flip();
    }
    return true;
  }

  /**
   * After an answer before the end (a rejection): reads and drops the rest until the sender hangs
   * up, so closing does not reset a connection whose answer the sender has not read yet.
   */
  private void drain() throws IOException {
    channel.shutdownOutput();
    ByteBuffer sink = in.clear();
    while (channel.read(sink) >= 0) {
      sink.clear();
    }
  }

  /** Writes the receiver's one answer: a length-prefixed DeltaAck. */
  private final class Answers implements StreamObserver<DeltaAck> {
    @Override
    public void onNext(DeltaAck ack) {
      byte[] bytes = ack.toByteArray();
      ByteBuffer out = ByteBuffer.allocate(4 + bytes.length).putInt(bytes.length).put(bytes).flip();
      try {
        while (out.hasRemaining()) {
          channel.write(out);
        }
      } catch (IOException e) {
        // the sender is gone; it learns it from its own side
      } finally {
        answered = true;
      }
    }

    @Override
    public void onError(Throwable t) {
      answered = true;
      try {
        channel.close();
      } catch (IOException e) {
        // closing anyway
      }
    }

    @Override
    public void onCompleted() {}
  }
}
