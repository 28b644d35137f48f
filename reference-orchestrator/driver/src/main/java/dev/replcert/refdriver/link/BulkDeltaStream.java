package dev.replcert.refdriver.link;

import dev.replcert.refdriver.link.proto.BlockBatch;
import dev.replcert.refdriver.link.proto.DeltaAck;
import dev.replcert.refdriver.link.proto.DeltaChunk;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One delta on its way to the peer over a bulk connection ({@link BulkFrames}): blocking writes
 * straight from the sender's buffers (gathering, one system call per batch), the kernel's socket
 * buffers as the only flow control. Before each batch the sender looks whether the peer already
 * answered (a rejection before the end stops it there); at the end it reads the answer itself, so
 * no other thread has to wake it. The deadline closes the connection. A delta answered after its
 * commit leaves the connection ready for the next one, which takes it from {@link
 * IdleBulkConnections} instead of connecting again.
 */
final class BulkDeltaStream implements DeltaStream {

  private static final ByteBuffer NO_DATA = ByteBuffer.allocate(0);

  private final SocketChannel channel;
  private final InetSocketAddress address;
  private final IdleBulkConnections idle;
  private final InputStream incoming;
  private final PeerLink link;
  private final ScheduledFuture<?> deadline;
  private final Set<DeltaStream> registry;
  private ByteBuffer heads = ByteBuffer.allocateDirect(16 * BulkFrames.BLOCK_HEAD);
  private DeltaAck answer;
  private IOException failure;
  /** The commit went out whole and nothing answered before it: the stream is in step. */
  private boolean committed;
  private volatile boolean timedOut;

  private BulkDeltaStream(
      SocketChannel channel,
      InetSocketAddress address,
      IdleBulkConnections idle,
      PeerLink link,
      ScheduledExecutorService timers,
      Duration left,
      Set<DeltaStream> registry)
      throws IOException {
    this.channel = channel;
    this.address = address;
    this.idle = idle;
    this.registry = registry;
    this.incoming = channel.socket().getInputStream(); // only asked how much arrived
    this.link = link;
    this.deadline = timers.schedule(this::expire, left.toNanos(), TimeUnit.NANOSECONDS);
    registry.add(this);
  }

  /**
   * Takes a kept connection to {@code address}, or connects and sends the magic.
   *
   * @param registry holds the stream until it ends (its link cuts those left when it closes)
   */
  static DeltaStream open(
      InetSocketAddress address,
      IdleBulkConnections idle,
      Duration left,
      PeerLink link,
      ScheduledExecutorService timers,
      Set<DeltaStream> registry)
      throws IOException {
    SocketChannel channel = idle.take(address);
    boolean fresh = channel == null;
    if (fresh) {
      channel = SocketChannel.open();
    }
    try {
      if (fresh) {
        channel.setOption(StandardSocketOptions.TCP_NODELAY, true); // the commit and the ack are small
        channel.socket().connect(address, (int) Math.max(1, Math.min(left.toMillis(), 2_000)));
        writeFully(channel, ByteBuffer.wrap(BulkFrames.MAGIC));
      }
      return new BulkDeltaStream(channel, address, idle, link, timers, left, registry);
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  @Override
  public boolean send(DeltaChunk chunk) throws InterruptedException {
    if (ended()) {
      return false;
    }
    try {
      if (incoming.available() > 0) {
        readAnswer(); // the peer answered before the end: a rejection
        return false;
      }
      switch (chunk.getPartCase()) {
        case BLOCKS -> writeBlocks(chunk.getBlocks());
        case HEADER -> writeMessage(BulkFrames.HEADER, chunk);
        case COMMIT -> {
          writeMessage(BulkFrames.COMMIT, chunk);
          committed = true;
        }
        default -> throw new IllegalArgumentException("empty chunk");
      }
      return true;
    } catch (ClosedByInterruptException e) {
      throw interrupted();
    } catch (IOException e) {
      readAnswer(); // the peer may have answered, then hung up
      if (answer == null) {
        failure = e;
      }
      return false;
    }
  }

  private boolean ended() {
    return answer != null || failure != null;
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

  /** Reads the peer's one answer, or records why there is none. */
  private void readAnswer() throws InterruptedException {
    try {
      ByteBuffer length = readExactly(4);
      int size = length.getInt();
      if (size < 0 || size > LinkServer.MAX_MESSAGE) {
        throw new IOException("answer of " + size + " bytes");
      }
      answer = DeltaAck.parseFrom(readExactly(size));
    } catch (ClosedByInterruptException e) {
      throw interrupted();
    } catch (IOException e) {
      failure = e;
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
    boolean reusable = false;
    try {
      if (!ended()) {
        readAnswer();
        // applied: the peer answered the whole delta, not a rejection that ends the connection
        reusable = committed && answer != null && answer.getApplied();
      }
      if (answer != null) {
        return answer;
      }
      if (timedOut) {
        throw new PeerUnreachableException("the delta did not finish before its deadline", failure, true);
      }
      link.markUnreachable("bulk connection failed: " + failure);
      throw new PeerUnreachableException("bulk connection to the peer failed: " + failure, failure);
    } finally {
      if (reusable) {
        release();
      } else {
        close();
      }
    }
  }

  /** Keeps the connection for the next delta, unless the deadline is closing it. */
  private void release() {
    registry.remove(this);
    if (deadline.cancel(false) && !timedOut) {
      idle.keep(address, channel);
    } else {
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
    registry.remove(this);
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
