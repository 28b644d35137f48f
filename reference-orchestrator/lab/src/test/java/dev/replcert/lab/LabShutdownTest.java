package dev.replcert.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.replcert.harness.config.S3Profile;
import dev.replcert.harness.spi.DisasterInjector;
import dev.replcert.harness.spi.Environment;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;

/** Closing the lab leaves no threads, listening ports or temporary directories behind. */
class LabShutdownTest {

  /**
   * Names of what the lab's parts could leave in the temporary directory. The directory is shared
   * with every other process on the machine, so only these count (fabric8's https mock servers
   * write {@code mockwebserver-*.pem} there, but the lab's servers are plain http).
   */
  private static final List<String> TEMP_PREFIXES = List.of("vertx", "file-cache", "s3proxy", "jetty");

  @Test
  void closeStopsEveryThreadPortAndDirectoryTheLabStarted() throws IOException {
    Set<Thread> before = nonDaemonThreads();
    Set<String> tempBefore = tempEntries();
    List<Integer> ports = new ArrayList<>();
    Path root;

    try (Environment lab = LabEnvironmentTest.start(Map.of())) {
      root = ((LabEnvironment) lab).root();
      for (String cluster : List.of("hub", "east", "west")) {
        KubernetesClient client = lab.client(KubernetesClient.class, Optional.of(cluster)).orElseThrow();
        LabClustersTest.create(client, "ns", "cm", Map.of());
        ports.add(client.getMasterUrl().getPort());
      }
      for (String site : List.of("east", "west")) {
        lab.client(S3Client.class, Optional.of(site)).orElseThrow().listBuckets();
        ports.add(URI.create(lab.client(S3Profile.class, Optional.of(site)).orElseThrow().endpoint()).getPort());
      }
      // a site disaster replaces the site's web servers: the replaced ones must not linger either
      DisasterInjector disasters = lab.client(DisasterInjector.class, Optional.empty()).orElseThrow();
      disasters.takeDown("west");
      disasters.bringUp("west");
      ports.forEach(port -> assertThat(listening(port)).as("port %s while the lab runs", port).isTrue());
    }

    await("the lab's non-daemon threads end")
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(100))
        .pollInSameThread()
        .untilAsserted(
            () ->
                assertThat(names(difference(nonDaemonThreads(), before)))
                    .as("non-daemon threads started by the lab and still alive")
                    .isEmpty());
    ports.forEach(port -> assertThat(listening(port)).as("port %s after close", port).isFalse());
    assertThat(root).doesNotExist();
    Set<String> leftovers = new HashSet<>(tempEntries());
    leftovers.removeAll(tempBefore);
    assertThat(leftovers)
        .as("new entries in %s", System.getProperty("java.io.tmpdir"))
        .noneMatch(name -> TEMP_PREFIXES.stream().anyMatch(name::startsWith));
  }

  private static Set<Thread> nonDaemonThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.isAlive() && !t.isDaemon())
        .collect(Collectors.toSet());
  }

  private static Set<Thread> difference(Set<Thread> now, Set<Thread> before) {
    Set<Thread> started = new HashSet<>(now);
    started.removeAll(before);
    return started;
  }

  private static List<String> names(Set<Thread> threads) {
    return threads.stream().map(Thread::getName).sorted().toList();
  }

  private static Set<String> tempEntries() throws IOException {
    try (Stream<Path> entries = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
      return entries.map(p -> p.getFileName().toString()).collect(Collectors.toSet());
    }
  }

  private static boolean listening(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
