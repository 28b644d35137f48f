package dev.replcert.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.replcert.api.csi.v1.IdentityGrpc;
import dev.replcert.api.csi.v1.ProbeRequest;
import dev.replcert.harness.config.ConfigLoader;
import dev.replcert.harness.config.S3Profile;
import dev.replcert.harness.grpc.CallLog;
import dev.replcert.harness.spi.DisasterInjector;
import dev.replcert.harness.spi.DriverEndpoint;
import dev.replcert.harness.spi.Environment;
import dev.replcert.harness.spi.ReplicationSchedule;
import dev.replcert.refdriver.Defect;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.grpc.Channel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.S3Client;

class LabEnvironmentTest {

  private static final Logger LOG = LoggerFactory.getLogger(LabEnvironmentTest.class);

  @Test
  void startsTwoSitesThatAnswerAndRemovesEverythingOnClose() {
    Path root;
    try (Environment lab = start(Map.of(LabSettings.SYNC_PERIOD, "250ms"))) {
      DriverEndpoint east = endpoint(lab, "east");
      DriverEndpoint west = endpoint(lab, "west");
      assertThat(probe(east.csi())).isTrue();
      assertThat(probe(west.csi())).isTrue();
      assertThat(probe(east.node())).isTrue();
      assertThat(lab.client(ReplicationSchedule.class, Optional.empty()))
          .contains(new ReplicationSchedule(Duration.ofMillis(250)));
      assertThat(lab.driverIdentity()).hasValueSatisfying(d -> assertThat(d.reportedName()).isEqualTo("reference.replcert.dev"));
      assertThat(lab.client(CallLog.class, Optional.empty()).orElseThrow().since(0)).isNotEmpty();
      root = ((LabEnvironment) lab).root();
      assertThat(root).isDirectory();
    }
    assertThat(root).doesNotExist();
  }

  /**
   * The first lab in a JVM pays for loading fabric8, S3Proxy and gRPC classes (logged, not bound:
   * on a busy 2-core machine it depends on the load); every further lab of the run, as the
   * self-certification starts several, must start well under ten seconds.
   */
  @Test
  void startsThreeClustersAndTwoS3StoresBesideTheDriverWellUnderTenSeconds() {
    long coldBegan = System.nanoTime();
    try (Environment first = start(Map.of())) {
      LOG.info("lab startup, first of this test (cold if first in the JVM): {} ms", Duration.ofNanos(System.nanoTime() - coldBegan).toMillis());
    }
    long began = System.nanoTime();
    try (Environment lab = start(Map.of())) {
      Duration took = Duration.ofNanos(System.nanoTime() - began);
      LOG.info("lab startup: {} ms (constructor {} ms)", took.toMillis(), ((LabEnvironment) lab).startup().toMillis());
      assertThat(took).isLessThan(Duration.ofSeconds(5));

      for (String cluster : List.of("hub", "east", "west")) {
        KubernetesClient client = lab.client(KubernetesClient.class, Optional.of(cluster)).orElseThrow();
        assertThat(client.getMasterUrl().getHost()).isEqualTo("127.0.0.1");
        assertThat(client.apiextensions().v1().customResourceDefinitions().withName("volumereplications.replication.storage.openshift.io").get())
            .as("CRDs registered in %s", cluster)
            .isNotNull();
      }
      for (String site : List.of("east", "west")) {
        S3Profile profile = lab.client(S3Profile.class, Optional.of(site)).orElseThrow();
        assertThat(profile.bucket()).isEqualTo("replcert-" + site);
        S3Client s3 = lab.client(S3Client.class, Optional.of(site)).orElseThrow();
        assertThat(s3.listBuckets().buckets()).extracting(b -> b.name()).containsExactly("replcert-" + site);
      }
      assertThat(lab.client(S3Client.class, Optional.of("hub"))).isEmpty();
      assertThat(lab.client(KubernetesClient.class, Optional.empty())).isEmpty();
      assertThat(lab.client(KubernetesClient.class, Optional.of("north"))).isEmpty();
      assertThat(
              List.of(
                  lab.client(KubernetesClient.class, Optional.of("hub")).orElseThrow().getMasterUrl().getPort(),
                  lab.client(KubernetesClient.class, Optional.of("east")).orElseThrow().getMasterUrl().getPort(),
                  lab.client(KubernetesClient.class, Optional.of("west")).orElseThrow().getMasterUrl().getPort()))
          .doesNotHaveDuplicates();
    }
  }

  @Test
  void aSiteTakenDownStopsAnsweringAndComesBackWhenBroughtUp() {
    try (Environment lab = start(Map.of())) {
      DisasterInjector disasters = lab.client(DisasterInjector.class, Optional.empty()).orElseThrow();
      DriverEndpoint east = endpoint(lab, "east");

      disasters.takeDown("east");

      assertThat(disasters.isDown("east")).isTrue();
      assertThatThrownBy(() -> probe(east.csi()))
          .isInstanceOfSatisfying(
              StatusRuntimeException.class,
              e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
      assertThat(probe(endpoint(lab, "west").csi())).isTrue();

      disasters.bringUp("east");

      assertThat(disasters.isDown("east")).isFalse();
      assertThat(probe(east.csi())).isTrue();
    }
  }

  @Test
  void aListedButMissingCrdFailsTheStartNamingTheFile(@TempDir Path dir) throws Exception {
    Path crds = Files.createDirectories(dir.resolve(LabCrds.DIRECTORY));
    Files.writeString(crds.resolve("index"), "missing.yaml\n");
    Set<Thread> before = Thread.getAllStackTraces().keySet();

    try (URLClassLoader loader = new URLClassLoader(new URL[] {dir.toUri().toURL()}, null)) {
      assertThatThrownBy(() -> new LabEnvironment(ConfigLoader.defaults(), LabSettings.from(k -> Optional.empty()), loader))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining(LabCrds.DIRECTORY + "missing.yaml is not on the classpath");
    }
    // netty's global event executor thread ends by itself about a second after its last task
    org.awaitility.Awaitility.await("the failed start's threads end")
        .atMost(Duration.ofSeconds(10))
        .pollInSameThread()
        .untilAsserted(
            () ->
                assertThat(Thread.getAllStackTraces().keySet().stream().filter(t -> t.isAlive() && !t.isDaemon() && !before.contains(t)))
                    .as("non-daemon threads left by the failed start")
                    .isEmpty());
  }

  @Test
  void anUnknownDefectIsRejectedNamingTheKnownOnes() {
    assertThatThrownBy(() -> LabSettings.from(k -> Optional.ofNullable(Map.of(LabSettings.DEFECTS, "NO_SUCH").get(k))))
        .hasMessageContaining("unknown defect 'NO_SUCH'")
        .hasMessageContaining(Defect.SPLIT_BRAIN_ALLOWED.name());
    assertThat(
            LabSettings.from(
                    k -> Optional.ofNullable(Map.of(LabSettings.DEFECTS, "SPLIT_BRAIN_ALLOWED, FORCE_IGNORED").get(k)))
                .defects())
        .containsExactlyInAnyOrder(Defect.SPLIT_BRAIN_ALLOWED, Defect.FORCE_IGNORED);
  }

  @Test
  void fenceScopeSiteWithAProfileClaimingPeerFenceIsRejectedBeforeAnythingStarts() {
    LabSettings site = LabSettings.from(k -> Optional.ofNullable(Map.of(LabSettings.FENCE_SCOPE, "site").get(k)));
    assertThat(site.fenceScope()).isEqualTo(dev.replcert.refdriver.DriverOptions.FenceScope.SITE);
    assertThat(LabSettings.from(k -> Optional.empty()).fenceScope())
        .as("default").isEqualTo(dev.replcert.refdriver.DriverOptions.FenceScope.MIRROR);

    assertThatThrownBy(() -> LabEnvironment.requireFenceScopeForProfile(ConfigLoader.defaults(), site))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("replcert.lab.fenceScope=site")
        .hasMessageContaining("peer-fence");
    assertThatThrownBy(() -> LabSettings.from(k -> Optional.ofNullable(Map.of(LabSettings.FENCE_SCOPE, "metro").get(k))))
        .hasMessageContaining("expected mirror or site, got 'metro'");
  }

  static Environment start(Map<String, String> parameters) {
    return new LabEnvironmentProvider()
        .start(ConfigLoader.defaults(), k -> Optional.ofNullable(parameters.get(k)));
  }

  private static DriverEndpoint endpoint(Environment lab, String site) {
    return lab.client(DriverEndpoint.class, Optional.of(site)).orElseThrow();
  }

  private static boolean probe(Channel channel) {
    return IdentityGrpc.newBlockingStub(channel)
        .withDeadlineAfter(5, TimeUnit.SECONDS)
        .probe(ProbeRequest.getDefaultInstance())
        .getReady()
        .getValue();
  }
}
