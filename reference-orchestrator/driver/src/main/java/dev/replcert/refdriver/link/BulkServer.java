package dev.replcert.refdriver.link;

import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * This site's bulk delta port: a plain TCP listener beside the gRPC link server, on the same host
 * and a port the system picks (advertised in GetStateResponse). Each connection carries deltas one
 * after another ({@link BulkConnection}) on its own thread. close() cuts the deltas in flight: their receivers
 * discard what they staged.
 */
final class BulkServer implements AutoCloseable {

  private final ServerSocketChannel server;
  private final LinkHandler handler;
  private final ExecutorService threads;
  private final Set<SocketChannel> open = ConcurrentHashMap.newKeySet();

  private BulkServer(ServerSocketChannel server, LinkHandler handler, ExecutorService threads) {
    this.server = server;
    this.handler = handler;
    this.threads = threads;
  }

  static BulkServer start(String site, InetAddress host, LinkHandler handler) {
    ServerSocketChannel server;
    try {
      server = ServerSocketChannel.open();
      server.bind(new InetSocketAddress(host, 0));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot listen on " + host + " for bulk deltas", e);
    }
    ExecutorService threads = Executors.newCachedThreadPool(new DefaultThreadFactory("refdriver-" + site + "-bulk"));
    BulkServer bulk = new BulkServer(server, handler, threads);
    threads.execute(bulk::accept);
    return bulk;
  }

  int port() {
    return ((InetSocketAddress) server.socket().getLocalSocketAddress()).getPort();
  }

  private void accept() {
    while (server.isOpen()) {
      SocketChannel channel;
      try {
        channel = server.accept();
        channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
      } catch (IOException e) {
        return; // closed
      }
      open.add(channel);
      try {
        threads.execute(
            () -> {
              try {
                new BulkConnection(channel, handler).run();
              } finally {
                open.remove(channel);
              }
            });
      } catch (RuntimeException e) {
        open.remove(channel);
        closeQuietly(channel); // closing
      }
    }
  }

  @Override
  public void close() {
    closeQuietly(server);
    open.forEach(BulkServer::closeQuietly);
    threads.shutdownNow();
    try {
      threads.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void closeQuietly(java.nio.channels.Channel channel) {
    try {
      channel.close();
    } catch (IOException e) {
      // closing anyway
    }
  }
}
