package dev.replcert.lab;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the port of a downed lab part (API server, S3, replication link) from being taken while
 * it is down: another lab in the same JVM binds port 0 or picks link ports at random, and taking
 * this one would make the part unable to come back, or its clients talk to the other lab. A socket
 * bound to 127.0.0.1:port but never listening holds it: connections to it are refused, a port-0
 * bind skips it, and an explicit bind fails. {@link #close()} releases it, right before the part
 * listens again.
 *
 * <p>Connections the part's server closed stay in TIME_WAIT for up to a minute and refuse a bind
 * without SO_REUSEADDR; the hold then binds with it, which still keeps port-0 selection away and
 * makes a bind without SO_REUSEADDR fail (what the lab's own link-port check uses).
 */
final class PortHold implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(PortHold.class);

  private final int port;
  private final Socket socket;

  private PortHold(int port, Socket socket) {
    this.port = port;
    this.socket = socket;
  }

  /** Holds 127.0.0.1:port, or fails if another socket has it. */
  static PortHold on(int port) throws IOException {
    try {
      return new PortHold(port, bound(port, false));
    } catch (IOException exclusive) {
      try {
        return new PortHold(port, bound(port, true));
      } catch (IOException shared) {
        shared.addSuppressed(exclusive);
        throw shared;
      }
    }
  }

  /**
   * Holds the port of {@code part} if it can; if something took it in between (not this lab: the
   * part just closed it), the part's start says so later, and this only logs.
   */
  static Optional<PortHold> tryOn(int port, Object part) {
    try {
      return Optional.of(on(port));
    } catch (IOException e) {
      LOG.warn("cannot hold port {} of {} while it is down: {}", port, part, e.toString());
      return Optional.empty();
    }
  }

  private static Socket bound(int port, boolean reuse) throws IOException {
    Socket socket = new Socket();
    try {
      socket.setReuseAddress(reuse);
      socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
      return socket;
    } catch (IOException e) {
      socket.close();
      throw e;
    }
  }

  int port() {
    return port;
  }

  /** Releases the port. */
  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException e) {
      LOG.warn("releasing held port {} failed", port, e);
    }
  }

  @Override
  public String toString() {
    return "held 127.0.0.1:" + port;
  }
}
