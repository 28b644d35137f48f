package dev.replcert.harness.config;

import static dev.replcert.harness.config.ConfigFiles.ENDPOINT;
import static dev.replcert.harness.config.ConfigFiles.problemAt;
import static dev.replcert.harness.config.ConfigFiles.rejected;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

  @TempDir Path dir;

  @Test
  void noFileMeansTheLabWithTheReferenceDriversProfile() {
    CertificationConfig config = ConfigLoader.defaults();

    assertThat(config.mode()).isEqualTo(Mode.LAB);
    assertThat(config.driver().name()).isEqualTo(CertificationConfig.REFERENCE_DRIVER);
    assertThat(config.driver().endpoints()).isNull();
    assertThat(config.orchestrator()).isEqualTo(Orchestrator.BUNDLED);
    assertThat(config.capabilities().claimed())
        .isEqualTo(EnumSet.complementOf(EnumSet.of(Capability.SNAPSHOTS, Capability.FILESYSTEM_MODE)));
    assertThat(config.timeoutProfile().name()).isEqualTo(TimeoutProfile.LAB);
    assertThat(config.timeoutProfile().of(TimeoutOperation.POLL)).isEqualTo(Duration.ofMillis(100));
    assertThat(config.driver().replication().schedulingInterval()).isEqualTo(Duration.ofMinutes(1));
    assertThat(config.driver().volume())
        .isEqualTo(new VolumeSettings("1Gi", VolumeMode.BLOCK, null));
    assertThat(config.workload())
        .isEqualTo(new WorkloadConfig("docker.io/library/eclipse-temurin:17-jre", 4096, 50));
    assertThat(config.suite().idempotentCount()).isEqualTo(5);
    assertThat(config.s3Profiles()).isEmpty();
    assertThat(config.clusters()).isNull();
    assertThat(config.disaster()).isNull();
  }

  @Test
  void aFullClustersFileBindsEveryKey() throws Exception {
    Path file = fullClustersFile();

    CertificationConfig c = ConfigLoader.load(file, Map.of(), fullEnv());

    assertThat(c.mode()).isEqualTo(Mode.CLUSTERS);
    DriverConfig d = c.driver();
    assertThat(d.name()).isEqualTo("replcert.reference.csi.dev");
    assertThat(d.endpoints().east())
        .isEqualTo(new SiteEndpoint("unix:///run/east/csi.sock", "unix:///run/east/addons.sock"));
    assertThat(d.endpoints().west().addons()).isEqualTo("dns:///west.example.com:9000");
    assertThat(d.secrets()).containsOnlyKeys("token", "password", "cert");
    assertThat(d.secrets().get("token").reveal()).isEqualTo("env-token");
    assertThat(d.secrets().get("password").reveal()).isEqualTo("inline-driver-password");
    assertThat(d.secrets().get("cert").reveal()).isEqualTo("PEM");
    assertThat(d.secrets().get("cert").file()).contains(dir.resolve("secrets/driver.pem"));
    assertThat(d.secretRef()).isEqualTo(new SecretRef("rbd-replication-secret", "storage-system"));
    assertThat(d.replication().schedulingInterval()).isEqualTo(Duration.ofSeconds(150));
    assertThat(d.replication().parameters())
        .containsExactly(Map.entry("mirroringMode", "snapshot"), Map.entry("replicas", "3"));
    assertThat(d.volume()).isEqualTo(new VolumeSettings("2Gi", VolumeMode.BLOCK, null));
    assertThat(d.volume().sizeBytes()).isEqualTo(2L << 30);
    assertThat(d.replicationControl().pause()).containsExactly("/opt/vendor/bin/repl", "pause");
    assertThat(d.replicationControl().resume()).containsExactly("/opt/vendor/bin/repl", "resume");

    assertThat(c.clusters().hub()).isEqualTo(new ClusterRef(dir.resolve("hub.kubeconfig"), "hub"));
    assertThat(c.clusters().east())
        .isEqualTo(new ClusterRef(dir.resolve("east.kubeconfig"), "east-admin"));
    assertThat(c.clusters().west()).isEqualTo(new ClusterRef(dir.resolve("west.kubeconfig"), null));
    assertThat(c.classes())
        .isEqualTo(
            new ClassNames("vendor-rbd", "vendor-vrc", "vendor-vgrc", "vendor-nfc", "vendor-vsc", "vendor-dr"));

    assertThat(c.s3Profiles()).hasSize(2);
    S3Profile east = c.s3Profiles().get(0);
    assertThat(east.name()).isEqualTo("s3-east");
    assertThat(east.endpoint()).isEqualTo("http://minio.east.example.com:9000");
    assertThat(east.region()).isEqualTo("eu-west-1");
    assertThat(east.bucket()).isEqualTo("ramen-east");
    assertThat(east.pathStyle()).isFalse();
    assertThat(east.accessKeyId().reveal()).isEqualTo("env-access-key");
    assertThat(east.secretAccessKey().reveal()).isEqualTo("inline-s3-secret");
    S3Profile west = c.s3Profiles().get(1);
    assertThat(west.region()).isEqualTo(S3Profile.DEFAULT_REGION);
    assertThat(west.pathStyle()).isTrue();
    assertThat(west.secretRef()).isEqualTo(new SecretRef("s3-west-creds", "ramen-system"));

    assertThat(c.orchestrator()).isEqualTo(Orchestrator.RAMEN);
    assertThat(c.disaster().timeout()).isEqualTo(Duration.ofSeconds(90));
    assertThat(c.disaster().sites().east().down())
        .containsExactly("/opt/vendor/bin/site", "east", "down");
    assertThat(c.disaster().sites().west().up())
        .containsExactly("/opt/vendor/bin/site", "west", "up");
    assertThat(c.workload())
        .isEqualTo(new WorkloadConfig("registry.example.com/replcert/workload:0.2", 8192, 20));
    assertThat(c.timeoutProfile().name()).isEqualTo(TimeoutProfile.SLOW);
    assertThat(c.timeoutProfile().of(TimeoutOperation.PROMOTE)).isEqualTo(Duration.ofMinutes(4));
    assertThat(c.timeoutProfile().of(TimeoutOperation.FIRST_SYNC)).isEqualTo(Duration.ofHours(1));
    assertThat(c.timeoutProfile().of(TimeoutOperation.DEMOTE)).isEqualTo(Duration.ofMinutes(6));
    assertThat(c.capabilities().claimed())
        .containsExactlyInAnyOrder(
            Capability.REPLICATION,
            Capability.FORCE_PROMOTE,
            Capability.VOLUME_GROUP,
            Capability.PAUSE_RESUME);
    assertThat(c.suite().idempotentCount()).isEqualTo(3);
  }

  @Test
  void overridesFromTheMapWinOverTheFile() {
    Path file = ConfigFiles.write(dir, ENDPOINT);

    CertificationConfig c =
        ConfigLoader.load(
            file,
            Map.of(
                "cert.timeouts.profile", "slow",
                "cert.capabilities.volume-group", "true",
                "driver.endpoints.east.csi", "unix:///override/east.sock",
                "cert.suite.idempotentCount", "7",
                "cert.disaster.sites.east.down", "[ssh, east-bmc, power, off]",
                "cert.disaster.sites.east.up", "[ssh, east-bmc, power, on]"),
            Map.of());

    assertThat(c.timeoutProfile().name()).isEqualTo("slow");
    assertThat(c.capabilities().claimed())
        .containsExactlyInAnyOrder(Capability.REPLICATION, Capability.VOLUME_GROUP);
    assertThat(c.driver().endpoints().east().csi()).isEqualTo("unix:///override/east.sock");
    assertThat(c.driver().endpoints().west().csi()).isEqualTo("unix:///run/west.sock");
    assertThat(c.suite().idempotentCount()).isEqualTo(7);
    assertThat(c.disaster().sites().east().down())
        .containsExactly("ssh", "east-bmc", "power", "off");
  }

  @Test
  void overridesApplyToTheLabDefaultsToo() {
    CertificationConfig c =
        ConfigLoader.load(null, Map.of("cert.capabilities.volume-group", "false"), Map.of());

    assertThat(c.capabilities().claims(Capability.VOLUME_GROUP)).isFalse();
    assertThat(c.capabilities().claims(Capability.FORCE_PROMOTE)).isTrue();
  }

  @Test
  void anEmptyOverrideRemovesTheKey() {
    Path file = ConfigFiles.write(dir, ENDPOINT + "suite: { idempotentCount: 9 }\n");

    CertificationConfig c = ConfigLoader.load(file, Map.of("cert.suite", ""), Map.of());

    assertThat(c.suite().idempotentCount()).isEqualTo(SuiteConfig.DEFAULT_IDEMPOTENT_COUNT);
  }

  @Test
  void anInvalidOverrideNamesTheSystemPropertyAsItsSource() {
    Path file = ConfigFiles.write(dir, ENDPOINT);

    ConfigException e =
        rejected(file, Map.of("cert.driver.endpoints.east.csi", "http://east"), Map.of());

    ConfigProblem p = problemAt(e, "driver.endpoints.east.csi");
    assertThat(p.source()).isEqualTo("system property cert.driver.endpoints.east.csi");
    assertThat(e.getMessage())
        .contains(
            "  system property cert.driver.endpoints.east.csi: driver.endpoints.east.csi: expected"
                + " unix://");
  }

  @Test
  void anOverrideWithTheWrongTypeNamesTheSystemProperty() {
    ConfigException e = rejected(null, Map.of("cert.timeouts.overrides.promote", "5"), Map.of());

    ConfigProblem p = problemAt(e, "timeouts.overrides.promote");
    assertThat(p.source()).isEqualTo("system property cert.timeouts.overrides.promote");
    assertThat(p.expected()).contains("expected a positive duration like 90s");
  }

  @Test
  void aMalformedOverrideKeyIsReported() {
    ConfigException e = rejected(null, Map.of("cert.driver..name", "x"), Map.of());

    assertThat(problemAt(e, "driver..name").expected()).contains("expected a key path like");
  }

  @Test
  void modeOverrideWithoutAFileRequiresWhatThatModeNeeds() {
    ConfigException e = rejected(null, Map.of("cert.mode", "endpoint"), Map.of());

    assertThat(problemAt(e, "driver.name").expected()).contains("required in endpoint mode");
    assertThat(problemAt(e, "driver.endpoints").expected()).contains("required in endpoint mode");
  }

  @Test
  void loadForRunReadsTheFileFromThePropertyAndOverridesFromCertProperties() {
    Path file = ConfigFiles.write(dir, ENDPOINT);
    Properties props = new Properties();
    props.setProperty("cert.config", file.toString());
    props.setProperty("cert.mode", "endpoint");
    props.setProperty("cert.suite.idempotentCount", "2");
    props.setProperty("unrelated.property", "ignored");

    CertificationConfig c = ConfigLoader.loadForRun(props, Map.of());

    assertThat(c.mode()).isEqualTo(Mode.ENDPOINT);
    assertThat(c.suite().idempotentCount()).isEqualTo(2);
  }

  @Test
  void loadForRunFallsBackToTheEnvironmentVariable() {
    Path file = ConfigFiles.write(dir, ENDPOINT);

    CertificationConfig c =
        ConfigLoader.loadForRun(new Properties(), Map.of("REPLCERT_CONFIG", file.toString()));

    assertThat(c.mode()).isEqualTo(Mode.ENDPOINT);
  }

  @Test
  void loadForRunWithoutAFileIsTheLab() {
    assertThat(ConfigLoader.loadForRun(new Properties(), Map.of()))
        .isEqualTo(ConfigLoader.defaults());
  }

  @Test
  void aRelativeConfigPathFallsBackToTheProjectRoot() {
    ConfigFiles.write(dir, "vendor/cert.yaml", ENDPOINT);
    Properties props = new Properties();
    props.setProperty("cert.config", "vendor/cert.yaml");
    props.setProperty("replcert.rootDir", dir.toString());

    assertThat(ConfigLoader.loadForRun(props, Map.of()).mode()).isEqualTo(Mode.ENDPOINT);
  }

  @Test
  void everyProblemIsReportedInOnePass() {
    Path file =
        ConfigFiles.write(
            dir,
            ENDPOINT
                + """
                  workload: { recordSize: 10, writesPerSecond: 0, imag: x }
                  suite: { idempotentCount: 0 }
                  timeouts: { profile: fast, overrides: { promote: 5 } }
                  capabilities: { replication: true, snapshot: true }
                  """);

    ConfigException e = rejected(file);

    assertThat(e.problems())
        .extracting(ConfigProblem::keyPath)
        .containsExactlyInAnyOrder(
            "workload.imag",
            "workload.recordSize",
            "workload.writesPerSecond",
            "suite.idempotentCount",
            "timeouts.profile",
            "timeouts.overrides.promote",
            "capabilities.snapshot");
    assertThat(e.getMessage()).startsWith("Invalid replcert configuration:\n  " + file + ":");
  }

  @Test
  void problemsCarryLineAndColumnOfTheKey() {
    Path file = ConfigFiles.write(dir, ENDPOINT + "suite:\n  idempotentCount: 500\n");

    ConfigProblem p = problemAt(rejected(file), "suite.idempotentCount");

    assertThat(p.source()).isEqualTo(file + ":10:3");
  }

  @Test
  void aMissingKeyPointsAtItsEnclosingKey() {
    Path file =
        ConfigFiles.write(dir, ConfigFiles.HEADER + "mode: endpoint\ndriver:\n  endpoints: {}\n");

    ConfigException e = rejected(file);

    assertThat(problemAt(e, "driver.name").source()).isEqualTo(file + ":4:1");
    assertThat(problemAt(e, "driver.endpoints.east").source()).isEqualTo(file + ":5:3");
  }

  @Test
  void relativeKubeconfigPathsAreRelativeToTheConfigFile() throws Exception {
    Path file = fullClustersFile();

    CertificationConfig c = ConfigLoader.load(file, Map.of(), fullEnv());

    assertThat(c.clusters().east().kubeconfig())
        .isAbsolute()
        .isEqualTo(dir.resolve("east.kubeconfig"));
  }

  @Test
  void theRedactedTreeIsTheEffectiveConfigAndLoadsAgain() throws Exception {
    CertificationConfig original = ConfigLoader.load(fullClustersFile(), Map.of(), fullEnv());
    JsonNode tree = original.redacted();

    assertThat(tree.at("/timeouts/overrides/promote").asText()).isEqualTo("4m");
    assertThat(tree.at("/driver/replication/schedulingInterval").asText()).isEqualTo("2m30s");
    assertThat(tree.at("/driver/secrets/token/fromEnv").asText()).isEqualTo("VENDOR_TOKEN");
    assertThat(tree.at("/capabilities").size()).isEqualTo(Capability.values().length);
    assertThat(tree.at("/workload/image").asText())
        .isEqualTo("registry.example.com/replcert/workload:0.2");

    // With the inline secrets put back, the effective config is itself a valid cert.yaml.
    ((ObjectNode) tree.at("/driver/secrets")).put("password", "inline-driver-password");
    ((ObjectNode) tree.at("/s3Profiles/0")).put("secretAccessKey", "inline-s3-secret");
    Path again = dir.resolve("again.yaml");
    ConfigMapper.MAPPER.writeValue(again.toFile(), tree);
    assertThat(ConfigLoader.load(again, Map.of(), fullEnv())).isEqualTo(original);
  }

  @Test
  void aConfigBuiltInCodeGetsTheSameDefaults() {
    CertificationConfig built =
        new CertificationConfig(
            null,
            null,
            null,
            // the lab's reference driver serves block volumes
            new DriverConfig(
                null, null, null, null, null, new VolumeSettings(null, VolumeMode.BLOCK, null), null),
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            CapabilityProfile.referenceDriver(),
            null);

    assertThat(built).isEqualTo(ConfigLoader.defaults());
  }

  @Test
  void allSecretsListsEveryConfiguredSecret() throws Exception {
    CertificationConfig c = ConfigLoader.load(fullClustersFile(), Map.of(), fullEnv());

    assertThat(c.allSecrets())
        .map(SecretValue::toString)
        .containsExactlyInAnyOrder(
            "env:VENDOR_TOKEN",
            "<redacted>",
            "file:" + dir.resolve("secrets/driver.pem"),
            "env:S3_ACCESS_KEY",
            "<redacted>");
  }

  private Path fullClustersFile() throws Exception {
    for (String site : List.of("hub", "east", "west")) {
      ConfigFiles.kubeconfig(dir, site + ".kubeconfig");
    }
    ConfigFiles.write(dir, "secrets/driver.pem", "PEM\n");
    return ConfigFiles.copyResource(dir, "full-clusters.yaml");
  }

  private static Map<String, String> fullEnv() {
    return Map.of("VENDOR_TOKEN", "env-token", "S3_ACCESS_KEY", "env-access-key");
  }
}
