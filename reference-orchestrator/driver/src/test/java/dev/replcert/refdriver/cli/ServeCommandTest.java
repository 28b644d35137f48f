package dev.replcert.refdriver.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.replcert.refdriver.testing.TestSockets;
import dev.replcert.refdriver.testing.TwoSites;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code serve} for two sites as in-JVM command lines, checked with {@code probe}. */
class ServeCommandTest {

  private Path directory;

  @BeforeEach
  void directory() {
    directory = TestSockets.newDirectory();
  }

  @AfterEach
  void cleanUp() {
    TestSockets.deleteRecursively(directory);
  }

  private CliRun serve(String site, int port, int peerPort, String... extra) {
    String[] base = {
      "--site", site,
      "--root", directory.resolve(site).toString(),
      "--socket", directory.resolve(site + ".sock").toString(),
      "--listen", "127.0.0.1:" + port,
      "--peer", "127.0.0.1:" + peerPort,
      "--sync-period", "200ms",
      "--secret", "token=do-not-print"
    };
    String[] args = new String[base.length + extra.length];
    System.arraycopy(base, 0, args, 0, base.length);
    System.arraycopy(extra, 0, args, base.length, extra.length);
    CliRun run = CliRun.start(args);
    await(site + " ready line")
        .atMost(Duration.ofSeconds(20))
        .until(() -> run.out().contains("site " + site + " serving on") || run.exitCode() != null);
    return run;
  }

  @Test
  void twoSitesServeProbeHealthyAndStopCleanly() throws Exception {
    int eastPort = TwoSites.freePort();
    int westPort = TwoSites.freePort();
    // west is not up yet: an unreachable peer must not stop east from serving
    CliRun east = serve("east", eastPort, westPort);
    CliRun west = serve("west", westPort, eastPort, "--node", "west-node-1=198.51.100.11");
    try {
      assertThat(east.out()).isEqualTo("site east serving on " + directory.resolve("east.sock") + ", link 127.0.0.1:" + eastPort + "\n");
      assertThat(west.out()).startsWith("site west serving on " + directory.resolve("west.sock"));

      for (String site : new String[] {"east", "west"}) {
        CliRun probe = CliRun.run("probe", "--socket", directory.resolve(site + ".sock").toString());
        assertThat(probe.exitCode()).as(probe.err()).isZero();
        assertThat(probe.out()).startsWith("healthy: reference.replcert.dev ").endsWith(" site=" + site + "\n");
      }

      CliRun second = CliRun.run("--site", "east", "--root", directory.resolve("east2").toString(), "--socket", directory.resolve("east.sock").toString());
      assertThat(second.exitCode()).isEqualTo(1);
      assertThat(second.err()).contains("socket " + directory.resolve("east.sock") + " is in use by another process");
    } finally {
      assertThat(east.stop()).isZero();
      assertThat(west.stop()).isZero();
    }
    assertThat(east.out() + east.err() + west.out() + west.err()).doesNotContain("do-not-print");
    assertThat(directory.resolve("east.sock")).doesNotExist();
    assertThat(directory.resolve("west.sock")).doesNotExist();
    assertThat(directory.resolve("node-west-node-1.sock")).doesNotExist();
  }
}
