package dev.replcert.refdriver.link;

import io.grpc.Server;
import io.grpc.netty.NettyServerBuilder;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * This site's end of the replication link: a plaintext gRPC server on a TCP address, and beside it
 * the bulk delta port ({@link BulkServer}) it advertises. It owns its threads (event loops, handler
 * pool, bulk connections), so close() leaves nothing running.
 */
public final class LinkServer implements AutoCloseable {

  /** Flow-control window: many block batches in flight keep the link busy. */
  static final int WINDOW = 64 << 20;

  static final int MAX_MESSAGE = 16 << 20;

  private final Server server;
  private final EventLoopGroup boss;
  private final EventLoopGroup workers;
  private final ExecutorService handlers;
  private final BulkServer bulk;

  private LinkServer(Server server, EventLoopGroup boss, EventLoopGroup workers, ExecutorService handlers, BulkServer bulk) {
    this.server = server;
    this.bulk = bulk;
    this.boss = boss;
    this.workers = workers;
    this.handlers = handlers;
  }

  public static LinkServer start(String site, InetSocketAddress listen, LinkHandler handler) {
    String name = "refdriver-" + site + "-link";
    BulkServer bulk = BulkServer.start(site, listen.getAddress(), handler);
    EventLoopGroup boss =
        new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory(name + "-accept"), EpollIoHandler.newFactory());
    EventLoopGroup workers =
        new MultiThreadIoEventLoopGroup(2, new DefaultThreadFactory(name + "-io"), EpollIoHandler.newFactory());
    ExecutorService handlers = Executors.newCachedThreadPool(new DefaultThreadFactory(name + "-rpc"));
    Server server =
        NettyServerBuilder.forAddress(listen)
            .bossEventLoopGroup(boss)
            .workerEventLoopGroup(workers)
            .channelType(EpollServerSocketChannel.class)
            .withOption(ChannelOption.SO_REUSEADDR, true)
            .executor(handlers)
            .flowControlWindow(WINDOW)
            .maxInboundMessageSize(MAX_MESSAGE)
            .addService(AliasingChunks.apply(new LinkService(handler, bulk.port()).bindService()))
            .build();
    LinkServer linkServer = new LinkServer(server, boss, workers, handlers, bulk);
    try {
      server.start();
    } catch (IOException e) {
      linkServer.close();
      throw new UncheckedIOException("cannot listen on " + listen + " for the replication link", e);
    }
    return linkServer;
  }

  public InetSocketAddress address() {
    return (InetSocketAddress) server.getListenSockets().get(0);
  }

  /** Stops accepting, cancels calls in flight (a half-received delta is discarded), frees threads. */
  @Override
  public void close() {
    bulk.close();
    server.shutdownNow();
    try {
      server.awaitTermination(5, TimeUnit.SECONDS);
      handlers.shutdownNow();
      handlers.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    EventLoops.shutdown(boss, workers);
  }
}
