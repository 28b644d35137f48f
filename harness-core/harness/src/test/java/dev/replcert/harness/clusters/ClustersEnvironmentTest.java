package dev.replcert.harness.clusters;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.replcert.harness.config.CertificationConfig;
import dev.replcert.harness.config.ConfigLoader;
import dev.replcert.harness.config.Mode;
import dev.replcert.harness.config.S3Profile;
import dev.replcert.harness.grpc.CallLog;
import dev.replcert.harness.junit.EnvironmentUnavailableException;
import dev.replcert.harness.spi.DisasterInjector;
import dev.replcert.harness.spi.DriverEndpoint;
import dev.replcert.harness.spi.Environment;
import dev.replcert.harness.spi.OrchestratorLauncher;
import dev.replcert.harness.spi.ReplicationControl;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

/** {@code mode: clusters} against CRUD mock API servers reached through a kubeconfig. */
class ClustersEnvironmentTest {

  private static final String DRIVER_SECRET = "drv-secret-7f3a9c";

  @TempDir Path dir;
  private FakeClusters clusters;
  private Path kubeconfig;

  @BeforeEach
  void clusters() {
    clusters = new FakeClusters("hub", "east", "west");
    Map<String, String> contexts = new LinkedHashMap<>();
    for (String name : List.of("hub", "east", "west")) {
      contexts.put(name + "-admin", clusters.url(name));
      // each cluster says who it is, so the test sees which one a client reached
      try (KubernetesClient direct = clusters.direct(name)) {
        direct.configMaps().inNamespace("default").resource(
            new ConfigMapBuilder().withNewMetadata().withName("who").endMetadata()
                .addToData("cluster", name).build()).create();
      }
    }
    kubeconfig = FakeClusters.kubeconfig(dir.resolve("kubeconfig"), contexts);
  }

  @AfterEach
  void stop() {
    clusters.close();
  }

  @Test
  void connectsEachClusterByItsContextAndAnswersPerSite() {
    try (Environment env = start(config("orchestrator: ramen\n"))) {
      for (String name : List.of("hub", "east", "west")) {
        KubernetesClient client = env.client(KubernetesClient.class, Optional.of(name)).orElseThrow();
        assertThat(client.configMaps().inNamespace("default").withName("who").get().getData())
            .containsEntry("cluster", name);
      }
      assertThat(env.name()).isEqualTo("clusters");
      assertThat(env.client(KubernetesClient.class, Optional.of("north"))).isEmpty();
      assertThat(env.client(CallLog.class, Optional.empty())).isPresent();
      // nothing configured for these: the tests needing them skip (Targets says why)
      assertThat(env.client(DriverEndpoint.class, Optional.of("east"))).isEmpty();
      assertThat(env.client(DisasterInjector.class, Optional.empty())).isEmpty();
      assertThat(env.client(ReplicationControl.class, Optional.empty())).isEmpty();
      assertThat(env.client(S3Client.class, Optional.of("east"))).isEmpty();
    }
  }

  @Test
  void isTheProviderOfClustersModeOnly() {
    ClustersEnvironmentProvider provider = new ClustersEnvironmentProvider();
    assertThat(provider.supports(Mode.CLUSTERS)).isTrue();
    assertThat(provider.supports(Mode.LAB)).isFalse();
    assertThat(provider.supports(Mode.ENDPOINT)).isFalse();
  }

  @Test
  void aStoppedClusterIsNamedWithItsKubeconfigAndContext() {
    clusters.stop("west");
    CertificationConfig config = config("orchestrator: ramen\ntimeouts: {overrides: {rpc: 2s}}\n");

    long began = System.nanoTime();
    Throwable failure = catchThrowable(() -> start(config));

    assertThat(Duration.ofNanos(System.nanoTime() - began)).isLessThan(Duration.ofSeconds(8));
    assertThat(failure)
        .isInstanceOf(EnvironmentUnavailableException.class)
        .hasMessageStartingWith("cluster west (kubeconfig " + kubeconfig + ", context west-admin)")
        .hasMessageNotContaining("cluster east")
        .hasNoCause();
  }

  @Test
  void anApiServerThatNeverAnswersFailsTheStartWithinTheDeadline() throws IOException {
    // accepts connections (the kernel's backlog) but never reads or answers
    try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      FakeClusters.kubeconfig(
          kubeconfig,
          Map.of("hub-admin", clusters.url("hub"), "east-admin", clusters.url("east"),
              "west-admin", "http://127.0.0.1:" + silent.getLocalPort()));
      CertificationConfig config = config("timeouts: {overrides: {rpc: 1s}}\n");

      long began = System.nanoTime();
      Throwable failure = catchThrowable(() -> start(config));

      assertThat(Duration.ofNanos(System.nanoTime() - began)).isLessThan(Duration.ofSeconds(5));
      assertThat(failure)
          .isInstanceOf(EnvironmentUnavailableException.class)
          .hasMessageContaining("cluster west (kubeconfig " + kubeconfig + ", context west-admin)")
          .hasMessageContaining("did not answer GET /version within PT1S (timeouts.rpc)");
    }
  }

  @Test
  void aMissingContextIsNamedWithTheContextsTheFileHasAndNoCredentials() throws IOException {
    Path west = FakeClusters.kubeconfig(dir.resolve("west.kubeconfig"), Map.of("other", clusters.url("west")));
    String yaml = certYaml("driver: {name: csi.example.com}\n").replace("kubeconfig: " + kubeconfig + ", context: west-admin",
        "kubeconfig: " + west + ", context: west-admin");

    Throwable failure = catchThrowable(() -> start(load(yaml)));

    assertThat(failure)
        .isInstanceOf(EnvironmentUnavailableException.class)
        .hasMessage("cluster west (kubeconfig " + west + ", context west-admin): the file has no context"
            + " west-admin; contexts in the file: [other]")
        .hasMessageNotContaining(FakeClusters.TOKEN_PREFIX);
  }

  @Test
  void aKubeconfigGoneSinceTheConfigWasLoadedIsNamed() throws IOException {
    CertificationConfig config = config("");
    Files.delete(kubeconfig);

    assertThat(catchThrowable(() -> start(config)))
        .isInstanceOf(EnvironmentUnavailableException.class)
        .hasMessage("cluster hub (kubeconfig " + kubeconfig + ", context hub-admin): cannot read the"
            + " kubeconfig (NoSuchFileException)");
  }

  @Test
  void aConfiguredDriverSocketThatDoesNotAnswerFailsTheStartNamingSiteAndSocket() {
    Path socket = dir.resolve("east-csi.sock");
    CertificationConfig config =
        config("driver:\n  name: csi.example.com\n  endpoints:\n"
            + "    east: {csi: \"unix://" + socket + "\"}\n    west: {csi: \"unix://" + socket + "\"}\n"
            + "timeouts: {overrides: {rpc: 1s}}\n", false);

    long began = System.nanoTime();
    Throwable failure = catchThrowable(() -> start(config));

    assertThat(Duration.ofNanos(System.nanoTime() - began)).isLessThan(Duration.ofSeconds(5));
    assertThat(failure)
        .hasMessageStartingWith("driver endpoint of site east (unix://" + socket + ") did not answer CSI Probe within PT1S");
  }

  @Test
  void disasterHooksRunPerSiteAndOnlyConfiguredSitesCanFail() {
    Path marks = dir.resolve("marks");
    String touch = "[sh, -c, 'mkdir -p " + marks + " && touch " + marks + "/$REPLCERT_SITE.%s']";
    CertificationConfig config =
        config("disaster: {sites: {east: {down: " + touch.formatted("down") + ", up: "
            + touch.formatted("up") + "}}}\n");

    try (Environment env = start(config)) {
      DisasterInjector disasters = env.client(DisasterInjector.class, Optional.empty()).orElseThrow();
      assertThat(disasters.supports("east")).isTrue();
      assertThat(disasters.supports("west")).isFalse();

      disasters.takeDown("east");
      assertThat(marks.resolve("east.down")).exists();
      assertThat(disasters.isDown("east")).isTrue();

      disasters.bringUp("east");
      assertThat(marks.resolve("east.up")).exists();
      assertThat(disasters.isDown("east")).isFalse();
    }
  }

  @Test
  void aHookThatPrintsASecretShowsItRedacted() {
    CertificationConfig config =
        config("driver:\n  name: csi.example.com\n  secrets: {token: \"" + DRIVER_SECRET + "\"}\n"
            + "  replicationControl:\n    pause: [sh, -c, 'echo leaked " + DRIVER_SECRET + "; exit 3']\n"
            + "    resume: ['true']\n", false);

    try (Environment env = start(config)) {
      ReplicationControl control = env.client(ReplicationControl.class, Optional.empty()).orElseThrow();

      assertThat(catchThrowable(() -> control.pause("east", "vol-1")))
          .hasMessageContaining("exited with 3")
          .hasMessageContaining("leaked <redacted>")
          .hasMessageNotContaining(DRIVER_SECRET);
    }
  }

  @Test
  void s3StoresAreOfferedPerSiteInListOrderAndByName() {
    CertificationConfig config =
        config("s3Profiles:\n"
            + "  - {name: s3-east, endpoint: 'http://127.0.0.1:9', bucket: ramen-east,"
            + " accessKeyId: AKIAEXAMPLE1, secretAccessKey: s3-secret-key-1}\n"
            + "  - {name: s3-west, endpoint: 'http://127.0.0.1:9', bucket: ramen-west,"
            + " secretRef: {name: west-keys, namespace: ramen-system}}\n");

    try (Environment env = start(config)) {
      assertThat(env.client(S3Profile.class, Optional.of("east")).map(S3Profile::name)).contains("s3-east");
      assertThat(env.client(S3Profile.class, Optional.of("west")).map(S3Profile::name)).contains("s3-west");
      assertThat(env.client(S3Profile.class, Optional.of("s3-west")).map(S3Profile::bucket)).contains("ramen-west");
      assertThat(env.client(S3Client.class, Optional.of("east"))).isPresent();
      // west's keys live in a Secret on the hub, which is not there
      assertThat(catchThrowable(() -> env.client(S3Client.class, Optional.of("west"))))
          .hasMessage("S3 profile s3-west: Secret ramen-system/west-keys on cluster hub does not exist");
    }
  }

  @Test
  void theBundledOrchestratorStartsOnTheFirstRequestForTheHubAndStopsWithTheEnvironment() {
    AtomicBoolean closed = new AtomicBoolean();
    Map<String, KubernetesClient> given = new LinkedHashMap<>();
    OrchestratorLauncher launcher =
        (hub, managed, profiles) -> {
          given.putAll(managed);
          KubernetesClient theHub = hub.orElseThrow();
          return new OrchestratorLauncher.Launched() {
            @Override
            public KubernetesClient hub() {
              return theHub;
            }

            @Override
            public void close() {
              closed.set(true);
            }
          };
        };
    Environment env = new ClustersEnvironment(config(""), () -> launcher);
    try {
      assertThat(given).isEmpty(); // layer-1 runs never start it
      KubernetesClient hub = env.client(KubernetesClient.class, Optional.of("hub")).orElseThrow();
      assertThat(hub.configMaps().inNamespace("default").withName("who").get().getData())
          .containsEntry("cluster", "hub");
      assertThat(given).containsOnlyKeys("east", "west");
    } finally {
      env.close();
    }
    assertThat(closed).isTrue();
  }

  @Test
  void withoutALauncherTheBundledOrchestratorFailsSayingWhatToAdd() {
    try (Environment env = start(config(""))) {
      assertThat(catchThrowable(() -> env.client(KubernetesClient.class, Optional.of("hub"))))
          .isInstanceOf(EnvironmentUnavailableException.class)
          .hasMessageContaining("orchestrator: bundled needs the bundled orchestrator on the class path");
      // the managed clusters still work
      assertThat(env.client(KubernetesClient.class, Optional.of("east"))).isPresent();
    }
  }

  private Environment start(CertificationConfig config) {
    return new ClustersEnvironmentProvider().start(config);
  }

  private CertificationConfig config(String extra) {
    return config(extra, true);
  }

  private CertificationConfig config(String extra, boolean withDriver) {
    return load(certYaml(withDriver ? "driver: {name: csi.example.com}\n" + extra : extra));
  }

  private String certYaml(String extra) {
    return "apiVersion: replcert.dev/v1alpha1\nkind: CertificationConfig\nmode: clusters\n"
        + "clusters:\n"
        + "  hub: {kubeconfig: " + kubeconfig + ", context: hub-admin}\n"
        + "  east: {kubeconfig: " + kubeconfig + ", context: east-admin}\n"
        + "  west: {kubeconfig: " + kubeconfig + ", context: west-admin}\n"
        + extra;
  }

  private CertificationConfig load(String yaml) {
    try {
      Path file = dir.resolve("cert.yaml");
      Files.writeString(file, yaml);
      return ConfigLoader.load(file, Map.of(), Map.of());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
