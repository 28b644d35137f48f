package dev.replcert.refdriver.testing;

import dev.replcert.refdriver.Defect;
import dev.replcert.refdriver.DriverOptions;
import dev.replcert.refdriver.server.DriverSite;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Two real sites, east and west, in this JVM: the engine, the replication link over TCP loopback
 * and the gRPC servers on unix sockets. East is started first, while west is not yet listening, as
 * in a real rollout. East can be stopped (the site lost) and started again on the same root, port
 * and sockets (the site back).
 */
public final class TwoSites implements AutoCloseable {

  /** Short, so replication tests wait for a sync in well under a second. */
  public static final Duration SYNC_PERIOD = Duration.ofMillis(200);

  public static final DriverOptions.NodeSpec EAST_NODE = new DriverOptions.NodeSpec("east-node-1", "192.0.2.11");
  public static final DriverOptions.NodeSpec WEST_NODE = new DriverOptions.NodeSpec("west-node-1", "198.51.100.11");

  private final Path directory;
  private final DriverOptions eastOptions;
  private DriverSite east;
  private final DriverSite west;
  private SiteClients eastClients;
  private final SiteClients westClients;

  private TwoSites(Set<Defect> eastDefects, Set<Defect> westDefects, Map<String, String> secrets) {
    this.directory = TestSockets.newDirectory();
    int eastPort = freePort();
    int westPort = freePort();
    this.eastOptions = options("east", eastPort, westPort, EAST_NODE, eastDefects, secrets);
    DriverSite startedEast = null;
    try {
      startedEast = DriverSite.start(eastOptions);
      this.west = DriverSite.start(options("west", westPort, eastPort, WEST_NODE, westDefects, secrets));
    } catch (RuntimeException e) {
      if (startedEast != null) {
        startedEast.close();
      }
      TestSockets.deleteRecursively(directory);
      throw e;
    }
    this.east = startedEast;
    this.eastClients = new SiteClients(east);
    this.westClients = new SiteClients(west);
  }

  public static TwoSites start() {
    return new TwoSites(Set.of(), Set.of(), Map.of());
  }

  public static TwoSites withEastDefects(Defect... defects) {
    return new TwoSites(Set.of(defects), Set.of(), Map.of());
  }

  private DriverOptions options(
      String site, int port, int peerPort, DriverOptions.NodeSpec node, Set<Defect> defects, Map<String, String> secrets) {
    return new DriverOptions(
        site,
        directory.resolve(site),
        directory.resolve(site + ".sock"),
        null,
        new InetSocketAddress("127.0.0.1", port),
        new InetSocketAddress("127.0.0.1", peerPort),
        SYNC_PERIOD,
        List.of(node),
        secrets,
        defects);
  }

  /**
   * A port free right now. Both sites need each other's port before either starts, so port 0 is
   * not enough; the small window until the site binds it is acceptable on a test machine.
   */
  public static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public DriverSite east() {
    return east;
  }

  public DriverSite west() {
    return west;
  }

  public SiteClients eastClients() {
    return eastClients;
  }

  public SiteClients westClients() {
    return westClients;
  }

  /** East is lost: its servers, link and engine stop; its state stays on disk. */
  public void stopEast() {
    eastClients.close();
    east.close();
  }

  /** East is back on the same root, link port and sockets; {@link #eastClients} are new ones. */
  public void startEast() {
    east = DriverSite.start(eastOptions);
    eastClients = new SiteClients(east);
  }

  /** A fresh path for publish targets. */
  public Path target(String name) {
    return directory.resolve("targets").resolve(name);
  }

  @Override
  public void close() {
    try {
      eastClients.close();
      westClients.close();
    } finally {
      try {
        east.close();
      } finally {
        west.close();
        TestSockets.deleteRecursively(directory);
      }
    }
  }
}
