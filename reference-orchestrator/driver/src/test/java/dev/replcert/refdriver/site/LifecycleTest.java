package dev.replcert.refdriver.site;

import static dev.replcert.refdriver.site.Scenarios.errorOf;
import static dev.replcert.refdriver.site.TwoSites.MIB;
import static dev.replcert.refdriver.site.TwoSites.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.replcert.refdriver.DriverOptions;
import dev.replcert.refdriver.ErrorCode;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Starting and stopping sites: ports, restarts on the same root, no thread left behind. */
class LifecycleTest {

  @TempDir Path tmp;

  @Test
  void closedSitesLeaveNoThreadBehindAndRefuseCalls() {
    Site north = Site.start(options("north", tmp.resolve("north"), null));
    Site south = Site.start(options("south", tmp.resolve("south"), north.linkAddress()));
    assertThat(north.linkAddress().getPort()).as("port 0 picks a free port").isPositive();
    String id = south.createVolume("v", MIB, Map.of()).volumeId();
    south.enableReplication(Target.volume(id), Map.of());
    await("south replicates to north")
        .ignoreExceptions()
        .until(() -> north.volume(id).role() == VolumeInfo.Role.SECONDARY);
    assertThat(north.peerReachable()).as("north has no peer configured").isFalse();

    south.close();
    north.close();
    north.close(); // twice: fine
    assertThat(errorOf(() -> north.createVolume("w", MIB, Map.of()))).isEqualTo(ErrorCode.UNAVAILABLE);
    await("every thread of both sites ended").until(() -> threadsOf("north", "south").isEmpty());

    Site again = Site.start(options("north", tmp.resolve("north"), null));
    try {
      assertThat(again.volume(id).role()).as("state survives the restart").isEqualTo(VolumeInfo.Role.SECONDARY);
    } finally {
      again.close();
    }
  }

  private static List<String> threadsOf(String... sites) {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(Thread::isAlive)
        .map(Thread::getName)
        .filter(name -> Set.of(sites).stream().anyMatch(site -> name.startsWith("refdriver-" + site + "-")))
        .toList();
  }

  private static DriverOptions options(String site, Path root, InetSocketAddress peer) {
    return new DriverOptions(
        site,
        root,
        root.resolveSibling(site + ".sock"),
        null,
        new InetSocketAddress("127.0.0.1", 0),
        peer,
        Duration.ofMillis(100),
        List.of(),
        Map.of(),
        Set.of());
  }
}
