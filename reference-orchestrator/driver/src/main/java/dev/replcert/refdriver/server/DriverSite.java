package dev.replcert.refdriver.server;

import dev.replcert.refdriver.DriverOptions;
import dev.replcert.refdriver.grpc.AddonsIdentityService;
import dev.replcert.refdriver.grpc.CallLogInterceptor;
import dev.replcert.refdriver.grpc.CsiControllerService;
import dev.replcert.refdriver.grpc.CsiIdentityService;
import dev.replcert.refdriver.grpc.CsiNodeService;
import dev.replcert.refdriver.grpc.DataPathService;
import dev.replcert.refdriver.grpc.Facade;
import dev.replcert.refdriver.grpc.FenceService;
import dev.replcert.refdriver.grpc.ReplicationControlService;
import dev.replcert.refdriver.grpc.ReplicationService;
import dev.replcert.refdriver.grpc.VolumeGroupService;
import dev.replcert.refdriver.site.Site;
import dev.replcert.refdriver.site.SiteApi;
import io.grpc.BindableService;
import io.grpc.Server;
import io.grpc.netty.NettyServerBuilder;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;

/**
 * One running site of the reference driver: the engine ({@link Site}) plus its gRPC servers on unix
 * domain sockets.
 *
 * <p>Socket layout:
 *
 * <ul>
 *   <li>{@link DriverOptions#socket()}: CSI Identity and Controller, the csi-addons services
 *       (Identity, replication.Controller, fence.FenceController, volumegroup.Controller) and the
 *       vendor extensions (ReplicationControl, DataPath);
 *   <li>{@link DriverOptions#addonsSocket()}, when set: the csi-addons services instead (the
 *       vendor extensions stay on the CSI socket, which is also the one handle files name);
 *   <li>per node: {@code <directory of socket>/node-<nodeId>.sock} serving CSI Identity (without
 *       CONTROLLER_SERVICE) and CSI Node for that node ({@link #nodeSocketPath}).
 * </ul>
 *
 * A socket file left by a dead process is replaced; one a live process serves is an error.
 * {@link #close()} stops the servers, closes the engine (its state stays on disk) and removes the
 * socket files.
 */
public final class DriverSite implements AutoCloseable {

  private static final Pattern NODE_ID = Pattern.compile("[A-Za-z0-9._-]+");
  /** In-flight calls get this long to finish on close before they are cancelled. */
  private static final long GRACE_MILLIS = 1_000;

  private final DriverOptions options;
  private final SiteApi site;
  private final InetSocketAddress linkAddress;
  private final Map<String, Path> nodeSockets;
  private final List<Server> servers = new ArrayList<>();
  private final List<Path> socketFiles = new ArrayList<>();
  private final EventLoopGroup boss;
  private final EventLoopGroup workers;
  private final ExecutorService handlers;
  private final AtomicBoolean closed = new AtomicBoolean();

  private DriverSite(DriverOptions options, SiteApi site, InetSocketAddress linkAddress) {
    this.options = options;
    this.site = site;
    this.linkAddress = linkAddress;
    this.nodeSockets = nodeSockets(options);
    String name = "refdriver-" + options.site();
    this.boss = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory(name + "-accept", true), EpollIoHandler.newFactory());
    this.workers = new MultiThreadIoEventLoopGroup(2, new DefaultThreadFactory(name + "-io", true), EpollIoHandler.newFactory());
    // own handler threads, so close() can interrupt a handler stuck in the engine
    this.handlers = Executors.newCachedThreadPool(new DefaultThreadFactory(name + "-rpc", true));
  }

  /**
   * Starts the engine and serves it. The sockets are checked before the engine starts, so a second
   * driver pointed at a running one fails fast with a clear message and touches nothing.
   *
   * @throws IllegalStateException a socket path is served by a live process or is not a socket
   */
  public static DriverSite start(DriverOptions options) {
    allSockets(options).forEach(UnixSockets::prepare);
    Site site = Site.start(options);
    // serve() closes the site if it cannot serve it
    return serve(options, site, site.linkAddress());
  }

  /**
   * Serves an already started engine (tests, embedders with their own {@link SiteApi}); closing the
   * returned DriverSite closes {@code site}.
   */
  public static DriverSite serve(DriverOptions options, SiteApi site, InetSocketAddress linkAddress) {
    Objects.requireNonNull(site, "site");
    DriverSite served;
    try {
      served = new DriverSite(options, site, linkAddress);
    } catch (RuntimeException e) {
      site.close();
      throw e;
    }
    try {
      served.startServers();
      return served;
    } catch (RuntimeException e) {
      served.close();
      throw e;
    }
  }

  /** Where the CSI Node socket of a node of a site started with {@code socket} lives. */
  public static Path nodeSocketPath(Path socket, String nodeId) {
    if (!NODE_ID.matcher(nodeId).matches()) {
      throw new IllegalArgumentException("node id " + nodeId + " must match " + NODE_ID + " (it names a socket file)");
    }
    Path directory = socket.toAbsolutePath().getParent();
    return directory.resolve("node-" + nodeId + ".sock");
  }

  private static Map<String, Path> nodeSockets(DriverOptions options) {
    Map<String, Path> sockets = new LinkedHashMap<>();
    options.nodes().forEach(node -> sockets.put(node.id(), nodeSocketPath(options.socket(), node.id())));
    return sockets;
  }

  private static List<Path> allSockets(DriverOptions options) {
    List<Path> sockets = new ArrayList<>();
    sockets.add(options.socket());
    if (separateAddons(options)) {
      sockets.add(options.addonsSocket());
    }
    sockets.addAll(nodeSockets(options).values());
    return sockets;
  }

  private static boolean separateAddons(DriverOptions options) {
    return options.addonsSocket() != null
        && !options.addonsSocket().toAbsolutePath().normalize().equals(options.socket().toAbsolutePath().normalize());
  }

  private void startServers() {
    Facade facade = Facade.of(options, site);
    List<BindableService> addons =
        List.of(
            new AddonsIdentityService(facade),
            new ReplicationService(facade),
            new FenceService(facade),
            new VolumeGroupService(facade));
    List<BindableService> main = new ArrayList<>();
    main.add(new CsiIdentityService(facade, true));
    main.add(new CsiControllerService(facade));
    main.add(new ReplicationControlService(facade));
    main.add(new DataPathService(facade));
    if (separateAddons(options)) {
      bind(options.socket(), main);
      bind(options.addonsSocket(), addons);
    } else {
      main.addAll(addons);
      bind(options.socket(), main);
    }
    nodeSockets.forEach(
        (nodeId, socket) -> bind(socket, List.of(new CsiIdentityService(facade, false), new CsiNodeService(facade, nodeId))));
  }

  private void bind(Path socket, List<BindableService> services) {
    UnixSockets.prepare(socket);
    NettyServerBuilder builder =
        NettyServerBuilder.forAddress(new DomainSocketAddress(socket.toAbsolutePath().toString()))
            .channelType(EpollServerDomainSocketChannel.class)
            .bossEventLoopGroup(boss)
            .workerEventLoopGroup(workers)
            .executor(handlers)
            .intercept(new CallLogInterceptor(options.site()));
    services.forEach(builder::addService);
    Server server = builder.build();
    try {
      server.start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot serve on socket " + socket, e);
    }
    servers.add(server);
    socketFiles.add(socket);
  }

  public DriverOptions options() {
    return options;
  }

  /** The CSI (and, unless separate, csi-addons) socket. */
  public Path socket() {
    return options.socket();
  }

  /** The csi-addons socket: {@link DriverOptions#addonsSocket()} or the CSI socket. */
  public Path addonsSocket() {
    return separateAddons(options) ? options.addonsSocket() : options.socket();
  }

  /** The CSI Node socket of a node of this site. */
  public Path nodeSocket(String nodeId) {
    Path socket = nodeSockets.get(nodeId);
    if (socket == null) {
      throw new IllegalArgumentException("site " + options.site() + " has no node " + nodeId + "; nodes: " + nodeSockets.keySet());
    }
    return socket;
  }

  /** This site's end of the replication link (the real port when started with port 0). */
  public InetSocketAddress linkAddress() {
    return linkAddress;
  }

  public SiteApi site() {
    return site;
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    servers.forEach(Server::shutdown);
    try {
      long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(GRACE_MILLIS);
      for (Server server : servers) {
        server.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      }
      servers.forEach(Server::shutdownNow);
      for (Server server : servers) {
        server.awaitTermination(GRACE_MILLIS, TimeUnit.MILLISECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      try {
        site.close();
      } finally {
        handlers.shutdownNow();
        boss.shutdownGracefully(0, GRACE_MILLIS, TimeUnit.MILLISECONDS).syncUninterruptibly();
        workers.shutdownGracefully(0, GRACE_MILLIS, TimeUnit.MILLISECONDS).syncUninterruptibly();
        socketFiles.forEach(UnixSockets::delete);
      }
    }
  }
}
