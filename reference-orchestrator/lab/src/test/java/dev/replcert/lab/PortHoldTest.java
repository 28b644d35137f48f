package dev.replcert.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import org.junit.jupiter.api.Test;

/** A downed part's port, held, refuses connections and binds until it is released. */
class PortHoldTest {

  @Test
  void aHeldPortRefusesConnectionsAndBindsUntilReleased() throws IOException {
    int port = freePort();

    try (PortHold hold = PortHold.on(port)) {
      assertThatThrownBy(() -> new Socket("127.0.0.1", port).close())
          .as("a connection to the held port")
          .isInstanceOf(ConnectException.class);
      assertThatThrownBy(() -> new ServerSocket(port, 1, InetAddress.getLoopbackAddress()).close())
          .as("another server's bind")
          .isInstanceOf(BindException.class);
    }

    try (ServerSocket again = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
      assertThat(again.getLocalPort()).isEqualTo(port);
    }
  }

  @Test
  void aPortWithClosedConnectionsInTimeWaitIsHeldToo() throws IOException {
    int port;
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        Socket client = new Socket("127.0.0.1", server.getLocalPort())) {
      port = server.getLocalPort();
      // the server closes first, as a stopping API server does: its side stays in TIME_WAIT
      server.accept().close();
    }

    try (PortHold hold = PortHold.on(port)) {
      assertThatThrownBy(() -> new Socket("127.0.0.1", port).close())
          .isInstanceOf(ConnectException.class);
      assertThatThrownBy(() -> exclusiveBind(port).close())
          .as("a bind without SO_REUSEADDR, as the lab's link-port check does")
          .isInstanceOf(BindException.class);
    }
  }

  private static ServerSocket exclusiveBind(int port) throws IOException {
    ServerSocket socket = new ServerSocket();
    try {
      socket.setReuseAddress(false);
      socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
      return socket;
    } catch (IOException e) {
      socket.close();
      throw e;
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
