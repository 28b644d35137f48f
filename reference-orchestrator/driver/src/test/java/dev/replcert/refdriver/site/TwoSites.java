package dev.replcert.refdriver.site;

import static org.assertj.core.api.Assertions.assertThat;

import dev.replcert.refdriver.Defect;
import dev.replcert.refdriver.DriverOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;

/**
 * Two sites, east and west, replicating to each other over real TCP loopback, each with its own
 * root directory. A site can be stopped (a site down) and started again on the same root and port
 * (a restart). Defects are per site. Volumes are small so whole-volume comparisons are cheap.
 */
final class TwoSites implements AutoCloseable {

  static final Duration PERIOD = Duration.ofMillis(100);
  static final Duration WAIT = Duration.ofSeconds(10);
  static final int BLOCK = 64 * 1024;
  static final long MIB = 1 << 20;

  private final Path tmp;
  private final int eastPort = freePort();
  private final int westPort = freePort();
  private final Set<Defect> eastDefects;
  private final Set<Defect> westDefects;
  private final Duration period;
  private DriverOptions.FenceScope fenceScope = DriverOptions.FenceScope.SITE;
  Site east;
  Site west;

  private TwoSites(Path tmp, Duration period, Set<Defect> eastDefects, Set<Defect> westDefects) {
    this.tmp = tmp;
    this.period = period;
    this.eastDefects = eastDefects;
    this.westDefects = westDefects;
  }

  static TwoSites start(Path tmp) {
    return start(tmp, PERIOD, Set.of(), Set.of());
  }

  /** Both sites with {@code defect} switched on. */
  static TwoSites start(Path tmp, Defect defect) {
    return start(tmp, PERIOD, Set.of(defect), Set.of(defect));
  }

  static TwoSites start(Path tmp, Duration period, Set<Defect> eastDefects, Set<Defect> westDefects) {
    return start(tmp, period, eastDefects, westDefects, DriverOptions.FenceScope.SITE);
  }

  /** Both sites with fence scope {@code scope} (mirror: one fence over both, as stretched storage). */
  static TwoSites start(Path tmp, DriverOptions.FenceScope scope, Defect... defects) {
    return start(tmp, PERIOD, Set.of(defects), Set.of(defects), scope);
  }

  private static TwoSites start(
      Path tmp, Duration period, Set<Defect> eastDefects, Set<Defect> westDefects, DriverOptions.FenceScope scope) {
    for (int attempt = 1; ; attempt++) {
      TwoSites sites = new TwoSites(tmp, period, eastDefects, westDefects);
      sites.fenceScope = scope;
      try {
        sites.startEast();
        sites.startWest();
        return sites;
      } catch (UncheckedIOException e) {
        // a port found free was taken before the site bound it (another process, or an outgoing
        // connection's ephemeral port): new ports, both sites again
        sites.close();
        if (attempt == 3) {
          throw e;
        }
      }
    }
  }

  void startEast() {
    east = Site.start(options("east", eastPort, westPort, eastDefects));
  }

  void startWest() {
    west = Site.start(options("west", westPort, eastPort, westDefects));
  }

  void stopEast() {
    east.close();
  }

  void stopWest() {
    west.close();
  }

  Path root(String site) {
    return tmp.resolve(site);
  }

  private DriverOptions options(String site, int listen, int peer, Set<Defect> defects) {
    return new DriverOptions(
        site,
        tmp.resolve(site),
        tmp.resolve(site + ".sock"),
        null,
        new InetSocketAddress("127.0.0.1", listen),
        new InetSocketAddress("127.0.0.1", peer),
        period,
        List.of(),
        Map.of(),
        defects.isEmpty() ? EnumSet.noneOf(Defect.class) : EnumSet.copyOf(defects),
        fenceScope);
  }

  /** A named wait with the suite's timeout, polling fast (syncs come every 100 ms). */
  static ConditionFactory await(String condition) {
    return Awaitility.await(condition).atMost(WAIT).pollInterval(Duration.ofMillis(10)).pollDelay(Duration.ZERO);
  }

  // ---------------------------------------------------------------- volumes and data

  /** Creates a volume on east, enables its replication (east primary) and waits for the replica. */
  String replicatedVolume(String name, long capacity) {
    String id = east.createVolume(name, capacity, Map.of()).volumeId();
    east.enableReplication(Target.volume(id), Map.of());
    awaitHealthy(id);
    return id;
  }

  /** Replica created, first sync applied, status HEALTHY. */
  void awaitHealthy(String id) {
    await("replica of " + id + " created and first sync applied")
        .ignoreException(dev.replcert.refdriver.DriverException.class)
        .untilAsserted(
            () -> {
              assertThat(west.volume(id).role()).isEqualTo(VolumeInfo.Role.SECONDARY);
              assertThat(east.replicationStatus(Target.volume(id)).health())
                  .isEqualTo(ReplicationStatus.Health.HEALTHY);
            });
  }

  /** Waits until west holds exactly what east holds (a sync carried every write so far). */
  void awaitIdentical(String id) {
    byte[] expected = readAll(east, id);
    await("west holds what east holds in " + id).until(() -> java.util.Arrays.equals(readAll(west, id), expected));
  }

  static String nodeOf(Site site) {
    return site.site() + "-node-1";
  }

  static String rw(Site site, String volumeId) {
    return site.publish(volumeId, nodeOf(site), "/mnt/rw-" + volumeId, false).handle();
  }

  static String ro(Site site, String volumeId) {
    return site.publish(volumeId, nodeOf(site), "/mnt/ro-" + volumeId, true).handle();
  }

  /** Reads a whole volume through a read-only publication. */
  static byte[] readAll(Site site, String volumeId) {
    return site.read(ro(site, volumeId), 0, (int) site.volume(volumeId).capacityBytes());
  }

  static byte[] read(Site site, String volumeId, long offset, int length) {
    return site.read(ro(site, volumeId), offset, length);
  }

  static void write(Site site, String volumeId, long offset, byte[] data) {
    site.write(rw(site, volumeId), offset, data);
  }

  static long readLong(Site site, String volumeId, long offset) {
    return ByteBuffer.wrap(read(site, volumeId, offset, 8)).getLong();
  }

  static byte[] longBytes(long value) {
    return ByteBuffer.allocate(8).putLong(value).array();
  }

  /** Deterministic, non-repeating bytes. */
  static byte[] pattern(long seed, int length) {
    byte[] data = new byte[length];
    long x = seed * 0x9E3779B97F4A7C15L + 1;
    for (int i = 0; i < length; i++) {
      x ^= x << 13;
      x ^= x >>> 7;
      x ^= x << 17;
      data[i] = (byte) x;
    }
    return data;
  }

  @Override
  public void close() {
    try {
      if (east != null) {
        east.close();
      }
    } finally {
      if (west != null) {
        west.close();
      }
    }
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
