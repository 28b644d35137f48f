package dev.replcert.refdriver.link;

import dev.replcert.refdriver.link.proto.BlockBatch;
import dev.replcert.refdriver.link.proto.DeltaAck;
import dev.replcert.refdriver.link.proto.DeltaChunk;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One delta on its way to the peer over a bulk connection ({@link BulkFrames}): blocking writes
 * straight from the sender's buffers (gathering, one system call per batch), the kernel's socket
 * buffers as the only flow control. Another thread waits for the peer's answer meanwhile, so a
 * rejection before the end stops the sender at its next batch. The deadline closes the connection.
 */
final class BulkDeltaStream implements DeltaStream {

  private static final ByteBuffer NO_DATA = ByteBuffer.allocate(0);
  /** How long a sender whose write failed waits for the answer the peer may have sent first. */
  private static final Duration ANSWER_AFTER_FAILURE = Duration.ofSeconds(1);

  private final SocketChannel channel;
  private final PeerLink link;
  private final CompletableFuture<DeltaAck> ack = new CompletableFuture<>();
  private final ScheduledFuture<?> deadline;
  private ByteBuffer heads = ByteBuffer.allocateDirect(16 * BulkFrames.BLOCK_HEAD);
  private volatile boolean timedOut;

  private BulkDeltaStream(SocketChannel channel, PeerLink link, ScheduledExecutorService timers, Duration left) {
    this.channel = channel;
    this.link = link;
    this.deadline = timers.schedule(this::expire, left.toNanos(), TimeUnit.NANOSECONDS);
  }

  /** Connects and sends the magic; the answer is awaited on {@code readers}. */
  static DeltaStream open(
      InetSocketAddress address, Duration left, PeerLink link, ScheduledExecutorService timers, Executor readers)
      throws IOException {
    SocketChannel channel = SocketChannel.open();
    try {
      channel.setOption(StandardSocketOptions.TCP_NODELAY, true); // the commit and the ack are small
      channel.socket().connect(address, (int) Math.max(1, Math.min(left.toMillis(), 2_000)));
      writeFully(channel, ByteBuffer.wrap(BulkFrames.MAGIC));
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
    BulkDeltaStream stream = new BulkDeltaStream(channel, link, timers, left);
    readers.execute(stream::readAnswer);
    return stream;
  }

  @Override
  public boolean send(DeltaChunk chunk) throws InterruptedException {
    if (ack.isDone()) {
      return false;
    }
    try {
      switch (chunk.getPartCase()) {
        case BLOCKS -> writeBlocks(chunk.getBlocks());
        case HEADER -> writeMessage(BulkFrames.HEADER, chunk);
        case COMMIT -> writeMessage(BulkFrames.COMMIT, chunk);
        default -> throw new IllegalArgumentException("empty chunk");
      }
      return true;
    } catch (ClosedByInterruptException e) {
      throw interrupted();
    } catch (IOException e) {
      // the peer answered and hung up (a rejection before the end), or the connection broke
      try {
        ack.get(ANSWER_AFTER_FAILURE.toMillis(), TimeUnit.MILLISECONDS);
      } catch (ExecutionException | TimeoutException ignored) {
        ack.completeExceptionally(e);
      }
      return false;
    }
  }

  private void writeBlocks(BlockBatch batch) throws IOException {
    int n = batch.getBlocksCount();
    if (heads.capacity() < n * BulkFrames.BLOCK_HEAD) {
      heads = ByteBuffer.allocateDirect(n * BulkFrames.BLOCK_HEAD);
    }
    heads.clear();
    ByteBuffer[] out = new ByteBuffer[2 * n];
    for (int i = 0; i < n; i++) {
      var block = batch.getBlocks(i);
      ByteBuffer head = heads.slice(i * BulkFrames.BLOCK_HEAD, BulkFrames.BLOCK_HEAD);
      BulkFrames.putBlockHead(head, block);
      out[2 * i] = head.flip();
      out[2 * i + 1] = block.getZero() ? NO_DATA : block.getData().asReadOnlyByteBuffer();
    }
    writeFully(channel, out);
  }

  private void writeMessage(byte kind, DeltaChunk chunk) throws IOException {
    byte[] bytes = chunk.toByteArray();
    ByteBuffer head = ByteBuffer.allocate(BulkFrames.MESSAGE_HEAD).put(kind).putInt(bytes.length).flip();
    writeFully(channel, head, ByteBuffer.wrap(bytes));
  }

  private static void writeFully(SocketChannel channel, ByteBuffer... buffers) throws IOException {
    int first = 0;
    while (first < buffers.length) {
      channel.write(buffers, first, buffers.length - first);
      while (first < buffers.length && !buffers[first].hasRemaining()) {
        first++;
      }
    }
  }

  /** Reads the peer's one answer (on a reader thread, while the sender writes). */
  private void readAnswer() {
    try {
      ByteBuffer length = readExactly(4);
      int size = length.getInt();
      if (size < 0 || size > LinkServer.MAX_MESSAGE) {
        throw new IOException("answer of " + size + " bytes");
      }
      ack.complete(DeltaAck.parseFrom(readExactly(size)));
    } catch (IOException | RuntimeException e) {
      ack.completeExceptionally(e);
    }
  }

  private ByteBuffer readExactly(int size) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(size);
    while (buffer.hasRemaining()) {
      if (channel.read(buffer) < 0) {
        throw new IOException("the peer closed the delta without an answer");
      }
    }
    return buffer.flip();
  }

  @Override
  public DeltaAck finish() throws InterruptedException {
    try {
      return ack.get();
    } catch (ExecutionException e) {
      if (timedOut) {
        throw new PeerUnreachableException("the delta did not finish before its deadline", e.getCause(), true);
      }
      link.markUnreachable("bulk connection failed: " + e.getCause());
      throw new PeerUnreachableException("bulk connection to the peer failed: " + e.getCause(), e.getCause());
    } finally {
      close();
    }
  }

  @Override
  public void cancel(String why) {
    close();
  }

  private void expire() {
    timedOut = true;
    close();
  }

  private void close() {
    deadline.cancel(false);
    try {
      channel.close(); // a receiver without the commit discards what it staged
    } catch (IOException e) {
      // closing anyway
    }
  }

  private static InterruptedException interrupted() {
    Thread.interrupted(); // the exception carries the interrupt now
    return new InterruptedException("interrupted while sending a delta");
  }
}
