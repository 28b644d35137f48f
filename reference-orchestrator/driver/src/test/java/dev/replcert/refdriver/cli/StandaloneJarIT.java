package dev.replcert.refdriver.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.replcert.refdriver.testing.TestSockets;
import dev.replcert.refdriver.testing.TwoSites;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The packaged {@code target/replcert-refdriver.jar} in child JVMs: two sites from the command
 * line, {@code probe} healthy for both, SIGTERM ends each with exit 0 and its sockets removed.
 * Runs after {@code package} (Failsafe).
 */
class StandaloneJarIT {

  private static final Path JAR = Path.of("target", "replcert-refdriver.jar");

  private final List<Process> processes = new ArrayList<>();
  private Path directory;

  @BeforeEach
  void directory() {
    directory = TestSockets.newDirectory();
  }

  @AfterEach
  void cleanUp() throws InterruptedException {
    for (Process process : processes) {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
    TestSockets.deleteRecursively(directory);
  }

  private Process java(String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", JAR.toString()));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    processes.add(process);
    return process;
  }

  private Process serve(String site, int port, int peerPort) throws IOException {
    return java(
        "--site", site,
        "--root", directory.resolve(site).toString(),
        "--socket", directory.resolve(site + ".sock").toString(),
        "--listen", "127.0.0.1:" + port,
        "--peer", "127.0.0.1:" + peerPort,
        "--sync-period", "1s");
  }

  /** The ready line; blocks until the child prints it (or exits, which fails the test). */
  private static String readyLine(Process process) throws IOException {
    BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    String line = out.readLine();
    assertThat(line).as("ready line (exit code %s)", process.isAlive() ? "running" : process.exitValue()).isNotNull();
    return line;
  }

  @Test
  void twoSitesFromTheCommandLineAreHealthyAndStopOnSigterm() throws Exception {
    assertThat(JAR).as("run after package: %s", JAR.toAbsolutePath()).exists();
    int eastPort = TwoSites.freePort();
    int westPort = TwoSites.freePort();
    Process east = serve("east", eastPort, westPort);
    Process west = serve("west", westPort, eastPort);
    assertThat(readyLine(east)).isEqualTo("site east serving on " + directory.resolve("east.sock") + ", link 127.0.0.1:" + eastPort);
    assertThat(readyLine(west)).startsWith("site west serving on ");

    for (String site : new String[] {"east", "west"}) {
      Process probe = java("probe", "--socket", directory.resolve(site + ".sock").toString());
      String output = new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(probe.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(probe.exitValue()).isZero();
      assertThat(output).startsWith("healthy: reference.replcert.dev ").contains("site=" + site);
    }

    for (Process process : List.of(east, west)) {
      process.destroy(); // SIGTERM
      assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("stopped within 30 s").isTrue();
      assertThat(process.exitValue()).as("exit code after SIGTERM").isZero();
    }
    assertThat(Files.exists(directory.resolve("east.sock"))).isFalse();
    assertThat(Files.exists(directory.resolve("west.sock"))).isFalse();
  }
}
