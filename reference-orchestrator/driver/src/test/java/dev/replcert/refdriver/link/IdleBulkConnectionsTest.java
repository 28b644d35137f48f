package dev.replcert.refdriver.link;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Kept bulk connections are handed out again only to the same peer port, and only while it holds them open. */
class IdleBulkConnectionsTest {

  private ServerSocketChannel peer;
  private InetSocketAddress address;
  private final IdleBulkConnections idle = new IdleBulkConnections();

  @BeforeEach
  void listen() throws Exception {
    peer = ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    address = (InetSocketAddress) peer.getLocalAddress();
  }

  @AfterEach
  void close() throws Exception {
    idle.close();
    peer.close();
  }

  @Test
  void aConnectionThePeerHoldsOpenIsReusedForTheSamePortOnly() throws Exception {
    SocketChannel kept = SocketChannel.open(address);
    try (SocketChannel peerEnd = peer.accept()) {
      idle.keep(address, kept);
      assertThat(idle.take(address)).as("the kept connection").isSameAs(kept);
      assertThat(kept.isBlocking()).as("back in blocking mode for the next delta").isTrue();
      assertThat(idle.take(address)).as("handed out once").isNull();

      idle.keep(address, kept);
      InetSocketAddress restartedPeer = new InetSocketAddress(address.getAddress(), address.getPort() + 1);
      assertThat(idle.take(restartedPeer)).as("a peer on another port").isNull();
      assertThat(kept.isOpen()).as("the connection to the old port is closed").isFalse();
    }
  }

  @Test
  void aConnectionThePeerClosedIsDropped() throws Exception {
    SocketChannel kept = SocketChannel.open(address);
    peer.accept().close(); // the peer restarted or is closing
    awaitReadable(kept); // its end of stream arrived
    idle.keep(address, kept);
    assertThat(idle.take(address)).isNull();
    assertThat(kept.isOpen()).isFalse();
  }

  /** Waits (at most 5 s) until {@code channel} has something to read, then puts it back in blocking mode. */
  private static void awaitReadable(SocketChannel channel) throws Exception {
    try (Selector selector = Selector.open()) {
      channel.configureBlocking(false);
      channel.register(selector, SelectionKey.OP_READ);
      assertThat(selector.select(5_000)).as("the peer's close seen within 5 s").isEqualTo(1);
    }
    channel.configureBlocking(true);
  }

  @Test
  void closingTheLinkClosesKeptConnectionsAndKeepsNoMore() throws Exception {
    SocketChannel first = SocketChannel.open(address);
    SocketChannel second = SocketChannel.open(address);
    try (SocketChannel a = peer.accept();
        SocketChannel b = peer.accept()) {
      idle.keep(address, first);
      idle.close();
      idle.keep(address, second); // a delta that ended while the link closed
      assertThat(first.isOpen()).isFalse();
      assertThat(second.isOpen()).isFalse();
    }
  }
}
