package dev.replcert.refdriver.link;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Bulk connections to the peer kept between deltas: a small delta then costs no TCP handshake, no
 * magic and no new receiving thread on the peer. A connection is kept only after a delta that ended
 * cleanly (the peer answered after the commit), and is handed out again only if the peer has not
 * closed it meanwhile (a restarted or closing peer closes its end); a connection that fails anyway
 * fails that one delta, which the next sync retries on a new connection.
 */
final class IdleBulkConnections implements AutoCloseable {

  /** One per sync thread is plenty; more idle connections only hold threads on the peer. */
  private static final int MAX_IDLE = 3;

  private record Idle(InetSocketAddress address, SocketChannel channel) {}

  private final Deque<Idle> idle = new ArrayDeque<>();
  private boolean closed;

  /** A kept connection to {@code address} the peer still holds open, or null. */
  synchronized SocketChannel take(InetSocketAddress address) {
    Idle next;
    while ((next = idle.pollFirst()) != null) {
      if (next.address.equals(address) && open(next.channel)) {
        return next.channel;
      }
      closeQuietly(next.channel);
    }
    return null;
  }

  /** Keeps a connection whose last delta ended cleanly (closes it when enough are kept). */
  synchronized void keep(InetSocketAddress address, SocketChannel channel) {
    if (closed || idle.size() >= MAX_IDLE) {
      closeQuietly(channel);
      return;
    }
    idle.addFirst(new Idle(address, channel));
  }

  @Override
  public synchronized void close() {
    closed = true;
    idle.forEach(i -> closeQuietly(i.channel));
    idle.clear();
  }

  /**
   * Whether the peer has not closed its end: a non-blocking read finds nothing to read (between
   * deltas the peer sends nothing; an end of stream or stray bytes mean the connection is unusable).
   */
  private static boolean open(SocketChannel channel) {
    if (!channel.isOpen()) {
      return false;
    }
    try {
      channel.configureBlocking(false);
      int n = channel.read(ByteBuffer.allocate(1));
      channel.configureBlocking(true);
      return n == 0;
    } catch (IOException e) {
      return false;
    }
  }

  static void closeQuietly(SocketChannel channel) {
    try {
      channel.close();
    } catch (IOException e) {
      // closing anyway
    }
  }
}
