package dev.replcert.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import dev.replcert.harness.clusters.ClustersEnvironmentProvider;
import dev.replcert.harness.config.CertificationConfig;
import dev.replcert.harness.config.ConfigLoader;
import dev.replcert.harness.config.S3Profile;
import dev.replcert.harness.spi.Environment;
import dev.replcert.orchestrator.s3.S3Profiles;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConfigBuilder;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.internal.KubeConfigUtils;
import io.open_cluster_management.cluster.v1.ManagedCluster;
import io.openshift.ramendr.v1alpha1.DRCluster;
import io.openshift.ramendr.v1alpha1.DRClusterSpec;
import io.openshift.ramendr.v1alpha1.DRPolicy;
import io.openshift.ramendr.v1alpha1.DRPolicySpec;
import io.openshift.ramendr.v1alpha1.VolumeReplicationGroup;
import io.openshift.ramendr.v1alpha1.VolumeReplicationGroupSpec;
import io.openshift.ramendr.v1alpha1.volumereplicationgroupspec.Async;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The bundled orchestrator on "real" clusters: lab API servers and S3 stand in for the vendor's,
 * reached the way clusters mode reaches any cluster, through a kubeconfig and the {@code
 * OrchestratorLauncher} found on the class path.
 */
class BundledOrchestratorLauncherTest {

  private static final Duration SETTLE = Duration.ofSeconds(30);

  @TempDir Path dir;
  private final Map<String, LabApiServer> clusters = new LinkedHashMap<>();
  private final List<LabS3Server> stores = new ArrayList<>();
  private final LabCrds crds = LabCrds.fromClasspath(getClass().getClassLoader());

  @BeforeEach
  void start() {
    for (String site : List.of("east", "west")) {
      stores.add(LabS3Server.start(site, dir.resolve("s3-" + site)));
    }
  }

  @AfterEach
  void stop() {
    clusters.values().forEach(LabApiServer::close);
    stores.forEach(LabS3Server::close);
  }

  @Test
  void runsTheControllersOnTheClustersOfCertYamlAndRemovesItsConfigurationOnClose() {
    startClusters("hub", "east", "west");
    Environment env = new ClustersEnvironmentProvider().start(config(true));
    try {
      assertThat(configMap("east", S3Profiles.RAMEN_CONFIG_MAP)).as("written before the hub is asked for").isFalse();

      // the suites reach each site's store with cert.yaml's keys, as in the lab
      for (LabS3Server store : stores) {
        assertThat(env.client(S3Client.class, Optional.of(store.site())).orElseThrow()
                .headBucket(b -> b.bucket(store.bucket())).sdkHttpResponse().isSuccessful())
            .as("bucket %s of %s", store.bucket(), store.site())
            .isTrue();
      }

      KubernetesClient hub = env.client(KubernetesClient.class, Optional.of("hub")).orElseThrow();

      assertThat(configMap("hub", RamenOperatorConfig.HUB_CONFIG_MAP)).isTrue();
      assertThat(configMap("east", S3Profiles.RAMEN_CONFIG_MAP)).isTrue();
      assertThat(configMap("west", S3Profiles.RAMEN_CONFIG_MAP)).isTrue();
      createDrClusters(hub);
      awaitValidated(hub, createPolicy(hub));
      awaitClusterDataReady("east");
    } finally {
      env.close();
    }
    for (String cluster : List.of("east", "west")) {
      assertThat(configMap(cluster, S3Profiles.RAMEN_CONFIG_MAP)).as(cluster).isFalse();
      assertThat(clusters.get(cluster).client().secrets().inNamespace(RamenOperatorConfig.NAMESPACE)
          .withName("replcert-s3-s3-east").get()).as(cluster).isNull();
    }
    assertThat(configMap("hub", RamenOperatorConfig.HUB_CONFIG_MAP)).isFalse();
  }

  @Test
  void withoutAHubInCertYamlRunsAnEmbeddedHubWithOcmOverTheManagedClusters() {
    startClusters("east", "west");
    try (Environment env = new ClustersEnvironmentProvider().start(config(false))) {
      KubernetesClient hub = env.client(KubernetesClient.class, Optional.of("hub")).orElseThrow();

      assertThat(hub.getMasterUrl().toString()).isNotIn(urls());
      await("ManagedCluster east on the embedded hub")
          .atMost(SETTLE)
          .pollInterval(Duration.ofMillis(200))
          .untilAsserted(() -> assertThat(hub.resources(ManagedCluster.class).withName("east").get()).isNotNull());
      createDrClusters(hub);
      awaitValidated(hub, createPolicy(hub));
    }
    assertThat(configMap("east", S3Profiles.RAMEN_CONFIG_MAP)).isFalse();
  }

  @Test
  void aClusterWithoutRamensCrdsIsNamedAndNothingIsLeftBehind() {
    startClusters("hub", "east");
    LabApiServer bare = LabApiServer.start("west"); // no CRDs registered
    clusters.put("west", bare);
    try (Environment env = new ClustersEnvironmentProvider().start(config(true))) {
      assertThat(catchThrowable(() -> env.client(KubernetesClient.class, Optional.of("hub"))))
          .hasMessageContaining("the bundled orchestrator did not start: cluster west lacks the CRDs")
          .hasMessageContaining("volumereplicationgroups.ramendr.openshift.io");
      assertThat(configMap("hub", RamenOperatorConfig.HUB_CONFIG_MAP)).isFalse();
      // still failing the same way, not half-started
      assertThat(catchThrowable(() -> env.client(KubernetesClient.class, Optional.of("hub"))))
          .hasMessageContaining("cluster west lacks the CRDs");
    }
  }

  @Test
  void aRamenAlreadyConfiguredOnAClusterIsNotOverwritten() {
    startClusters("hub", "east", "west");
    KubernetesClient east = clusters.get("east").client();
    east.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("ramen-system").endMetadata().build()).create();
    east.configMaps().inNamespace("ramen-system").resource(new io.fabric8.kubernetes.api.model.ConfigMapBuilder()
        .withNewMetadata().withName(S3Profiles.RAMEN_CONFIG_MAP).endMetadata().addToData("owner", "ramen").build()).create();

    try (Environment env = new ClustersEnvironmentProvider().start(config(true))) {
      assertThat(catchThrowable(() -> env.client(KubernetesClient.class, Optional.of("hub"))))
          .hasMessageContaining("ConfigMap ramen-system/ramen-dr-cluster-operator-config already exists on cluster east");
    }
    assertThat(east.configMaps().inNamespace("ramen-system").withName(S3Profiles.RAMEN_CONFIG_MAP).get().getData())
        .containsEntry("owner", "ramen");
    assertThat(configMap("hub", RamenOperatorConfig.HUB_CONFIG_MAP)).as("the hub's, written first, removed").isFalse();
  }

  private void startClusters(String... names) {
    for (String name : names) {
      LabApiServer server = LabApiServer.start(name);
      clusters.put(name, server);
      crds.registerIn(server.client());
    }
  }

  private List<String> urls() {
    return clusters.values().stream().map(LabApiServer::url).toList();
  }

  private boolean configMap(String cluster, String name) {
    return clusters.get(cluster).client().configMaps().inNamespace(RamenOperatorConfig.NAMESPACE).withName(name).get()
        != null;
  }

  /** cert.yaml for these clusters, S3 profiles of the lab's stores with their keys inline. */
  private CertificationConfig config(boolean withHub) {
    Path kubeconfig = kubeconfig(dir.resolve("kubeconfig"));
    StringBuilder yaml = new StringBuilder(
        "apiVersion: replcert.dev/v1alpha1\nkind: CertificationConfig\nmode: clusters\n"
            + "driver: {name: csi.example.com}\norchestrator: bundled\nclusters:\n");
    for (String name : clusters.keySet()) {
      if (withHub || !name.equals("hub")) {
        yaml.append("  ").append(name).append(": {kubeconfig: ").append(kubeconfig)
            .append(", context: ").append(name).append("-admin}\n");
      }
    }
    yaml.append("s3Profiles:\n");
    for (LabS3Server store : stores) {
      S3Profile p = store.profile();
      yaml.append("  - {name: ").append(p.name()).append(", endpoint: '").append(p.endpoint())
          .append("', bucket: ").append(p.bucket()).append(", accessKeyId: '").append(p.accessKeyId().reveal())
          .append("', secretAccessKey: '").append(p.secretAccessKey().reveal()).append("'}\n");
    }
    try {
      Path file = Files.writeString(dir.resolve("cert.yaml"), yaml);
      return ConfigLoader.load(file, Map.of(), Map.of());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private Path kubeconfig(Path file) {
    ConfigBuilder config = new ConfigBuilder().withApiVersion("v1").withKind("Config");
    clusters.forEach((name, server) -> config
        .addNewCluster().withName(name).withNewCluster().withServer(server.url()).endCluster().endCluster()
        .addNewUser().withName(name).withNewUser().withToken("token-" + name).endUser().endUser()
        .addNewContext().withName(name + "-admin").withNewContext().withCluster(name).withUser(name).endContext()
        .endContext());
    try {
      KubeConfigUtils.persistKubeConfigIntoFile(config.build(), file.toFile());
      return file;
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static void createDrClusters(KubernetesClient hub) {
    for (String site : List.of("east", "west")) {
      DRCluster cluster = new DRCluster();
      cluster.getMetadata().setName(site);
      DRClusterSpec spec = new DRClusterSpec();
      spec.setRegion(site);
      spec.setS3ProfileName("s3-" + site);
      cluster.setSpec(spec);
      hub.resource(cluster).create();
    }
  }

  private static String createPolicy(KubernetesClient hub) {
    DRPolicy policy = new DRPolicy();
    policy.getMetadata().setName("dr-1m");
    DRPolicySpec spec = new DRPolicySpec();
    spec.setSchedulingInterval("1m");
    spec.setDrClusters(List.of("east", "west"));
    policy.setSpec(spec);
    return hub.resource(policy).create().getMetadata().getName();
  }

  private static void awaitValidated(KubernetesClient hub, String policy) {
    Supplier<List<Condition>> conditions = () -> {
      DRPolicy p = hub.resources(DRPolicy.class).withName(policy).get();
      return p == null || p.getStatus() == null || p.getStatus().getConditions() == null
          ? List.of()
          : p.getStatus().getConditions();
    };
    await("DRPolicy " + policy + " Validated True (DRClusters reached their S3 with the keys from the"
            + " hub's Ramen ConfigMap)")
        .atMost(SETTLE)
        .pollInterval(Duration.ofMillis(200))
        .untilAsserted(() -> assertThat(conditions.get())
            .as("conditions now: %s; DRClusters: %s", conditions.get(),
                hub.resources(DRCluster.class).list().getItems().stream().map(c -> c.getStatus()).toList())
            .anySatisfy(c -> {
              assertThat(c.getType()).isEqualTo("Validated");
              assertThat(c.getStatus()).isEqualTo("True");
            }));
  }

  /** A primary VRG with no PVCs on the managed cluster: its controller reads the store of the profile. */
  private void awaitClusterDataReady(String site) {
    KubernetesClient client = clusters.get(site).client();
    client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("app").endMetadata().build()).create();
    VolumeReplicationGroup vrg = new VolumeReplicationGroup();
    vrg.getMetadata().setName("vrg");
    vrg.getMetadata().setNamespace("app");
    VolumeReplicationGroupSpec spec = new VolumeReplicationGroupSpec();
    spec.setPvcSelector(new LabelSelector(null, Map.of("app", "none")));
    spec.setReplicationState(VolumeReplicationGroupSpec.ReplicationState.PRIMARY);
    spec.setS3Profiles(List.of("s3-" + site));
    Async async = new Async();
    async.setSchedulingInterval("1m");
    spec.setAsync(async);
    vrg.setSpec(spec);
    client.resource(vrg).create();
    Supplier<VolumeReplicationGroup> current =
        () -> client.resources(VolumeReplicationGroup.class).inNamespace("app").withName("vrg").get();
    await("VRG app/vrg on " + site + " ClusterDataReady True")
        .atMost(SETTLE)
        .pollInterval(Duration.ofMillis(200))
        .untilAsserted(() -> assertThat(current.get().getStatus())
            .as("VRG status now: %s", current.get().getStatus())
            .isNotNull()
            .satisfies(s -> assertThat(s.getConditions()).anySatisfy(c -> {
              assertThat(c.getType()).isEqualTo("ClusterDataReady");
              assertThat(c.getStatus()).isEqualTo("True");
            })));
  }
}
