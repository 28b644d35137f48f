package dev.replcert.harness.config;

import static dev.replcert.harness.config.ConfigFiles.ENDPOINT;
import static dev.replcert.harness.config.ConfigFiles.HEADER;
import static dev.replcert.harness.config.ConfigFiles.problemAt;
import static dev.replcert.harness.config.ConfigFiles.rejected;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every way a cert.yaml is refused: the key path, and what the vendor should have written. */
class RejectedConfigTest {

  /** A valid clusters-mode file; KUBE is replaced by a readable kubeconfig. */
  static final String CLUSTERS =
      HEADER
          + """
            mode: clusters
            driver:
              name: csi.example.com
            clusters:
              east: { kubeconfig: KUBE, context: east }
              west: { kubeconfig: KUBE, context: west }
            """;

  static final String S3 =
      """
      s3Profiles:
        - name: s3
          endpoint: http://minio:9000
          bucket: ramen
          secretRef: { name: s3-creds, namespace: ramen-system }
      """;

  @TempDir static Path dir;
  static Path kubeconfig;

  record Case(String name, String yaml, String keyPath, String expected) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Case> cases() {
    return Stream.of(
        new Case(
            "misspelled top-level key",
            ENDPOINT + "suit: { idempotentCount: 3 }\n",
            "suit",
            "unknown key 'suit'; known keys: apiVersion, kind, mode, driver, clusters"),
        new Case(
            "misspelled nested key",
            ENDPOINT.replace("  name:", "  replication: { scheduleInterval: 5m }\n  name:"),
            "driver.replication.scheduleInterval",
            "unknown key 'scheduleInterval'; known keys: schedulingInterval, parameters"),
        new Case(
            "unknown site",
            ENDPOINT.replace("west:", "north:"),
            "driver.endpoints.north",
            "unknown key 'north'; known keys: east, west"),
        new Case(
            "string for an integer",
            ENDPOINT + "workload: { recordSize: big }\n",
            "workload.recordSize",
            "expected a whole number"),
        new Case(
            "quoted integer",
            ENDPOINT + "workload: { writesPerSecond: \"50\" }\n",
            "workload.writesPerSecond",
            "expected a whole number"),
        new Case(
            "float for an integer",
            ENDPOINT + "suite: { idempotentCount: 2.5 }\n",
            "suite.idempotentCount",
            "expected a whole number"),
        new Case(
            "mapping for a string",
            ENDPOINT.replace("name: csi.example.com", "name: { x: y }"),
            "driver.name",
            "expected a string"),
        new Case(
            "string for a list",
            ENDPOINT + "disaster: { sites: { east: { down: reboot, up: [power-on] } } }\n",
            "disaster.sites.east.down",
            "expected a list of strings"),
        new Case(
            "bad duration",
            ENDPOINT.replace(
                "  name:", "  replication: { schedulingInterval: 5 minutes }\n  name:"),
            "driver.replication.schedulingInterval",
            "expected a positive duration like 90s, 5m or 1h30m"),
        new Case(
            "unit-less duration",
            ENDPOINT + "disaster: { timeout: 300 }\n",
            "disaster.timeout",
            "expected a positive duration like 90s"),
        new Case(
            "negative duration",
            ENDPOINT + "disaster: { timeout: -5m }\n",
            "disaster.timeout",
            "expected a positive duration"),
        new Case(
            "missing apiVersion",
            ENDPOINT.replace("apiVersion: replcert.dev/v1alpha1\n", ""),
            "apiVersion",
            "required; expected apiVersion: replcert.dev/v1alpha1"),
        new Case(
            "other apiVersion",
            ENDPOINT.replace("v1alpha1", "v2"),
            "apiVersion",
            "expected apiVersion: replcert.dev/v1alpha1"),
        new Case(
            "wrong kind",
            ENDPOINT.replace("kind: CertificationConfig", "kind: Pod"),
            "kind",
            "expected kind: CertificationConfig"),
        new Case(
            "unknown mode",
            ENDPOINT.replace("mode: endpoint", "mode: cluster"),
            "mode",
            "expected one of lab, clusters, endpoint"),
        new Case(
            "mode as a number",
            ENDPOINT.replace("mode: endpoint", "mode: 1"),
            "mode",
            "expected one of lab, clusters, endpoint"),
        new Case(
            "unknown orchestrator",
            ENDPOINT + "orchestrator: argo\n",
            "orchestrator",
            "expected one of bundled, ramen"),
        new Case(
            "ramen outside clusters mode",
            ENDPOINT + "orchestrator: ramen\n",
            "orchestrator",
            "ramen is only used in clusters mode"),
        new Case(
            "unknown capability",
            ENDPOINT + "capabilities: { volume-groups: true }\n",
            "capabilities.volume-groups",
            "unknown capability 'volume-groups'; known capabilities: replication, force-promote"),
        new Case(
            "non-boolean capability",
            ENDPOINT + "capabilities: { replication: 1 }\n",
            "capabilities.replication",
            "expected true or false"),
        new Case(
            "YAML 1.1 boolean word",
            ENDPOINT + "capabilities: { replication: yes }\n",
            "capabilities.replication",
            "expected true or false"),
        new Case(
            "quoted boolean capability",
            ENDPOINT + "capabilities: { resync: \"true\" }\n",
            "capabilities.resync",
            "expected true or false"),
        new Case(
            "pause-resume claimed without hooks",
            ENDPOINT + "capabilities: { pause-resume: true }\n",
            "capabilities.pause-resume",
            "expected driver.replicationControl with pause and resume"),
        new Case(
            "unreadable kubeconfig",
            CLUSTERS.replaceFirst("KUBE", "/nonexistent/east.kubeconfig"),
            "clusters.east.kubeconfig",
            "kubeconfig /nonexistent/east.kubeconfig is missing or not readable"),
        new Case(
            "missing kubeconfig",
            CLUSTERS.replaceFirst("kubeconfig: KUBE, ", ""),
            "clusters.east.kubeconfig",
            "required; expected the path of a kubeconfig file"),
        new Case(
            "no clusters in clusters mode",
            HEADER + "mode: clusters\ndriver: { name: csi.example.com }\n",
            "clusters",
            "required in clusters mode"),
        new Case(
            "no west cluster",
            CLUSTERS.replace("  west: { kubeconfig: KUBE, context: west }\n", ""),
            "clusters.west",
            "required; expected kubeconfig and context of the west cluster"),
        new Case(
            "no hub with ramen",
            CLUSTERS + "orchestrator: ramen\n",
            "clusters.hub",
            "required with orchestrator ramen"),
        new Case(
            "clusters in lab mode",
            CLUSTERS.replace("mode: clusters", "mode: lab"),
            "clusters",
            "not used in lab mode"),
        new Case(
            "endpoints in lab mode",
            ENDPOINT.replace("mode: endpoint", "mode: lab"),
            "driver.endpoints",
            "not used in lab mode (the lab starts the reference driver)"),
        new Case(
            "no endpoints in endpoint mode",
            HEADER + "mode: endpoint\ndriver: { name: csi.example.com }\n",
            "driver.endpoints",
            "required in endpoint mode; expected east and west"),
        new Case(
            "one endpoint in endpoint mode",
            ENDPOINT.replace("    west: { csi: \"unix:///run/west.sock\" }\n", ""),
            "driver.endpoints.west",
            "required; expected csi: unix:///path/to/socket"),
        new Case(
            "endpoint that is a URL",
            ENDPOINT.replace("unix:///run/east.sock", "http://east:9000"),
            "driver.endpoints.east.csi",
            "expected unix:///path/to/socket, dns:///host:port or host:port"),
        new Case(
            "no driver name in endpoint mode",
            ENDPOINT.replace("  name: csi.example.com\n", ""),
            "driver.name",
            "required in endpoint mode"),
        new Case(
            "driver name not a domain name",
            ENDPOINT.replace("csi.example.com", "-csi_example-"),
            "driver.name",
            "expected a CSI driver name in domain-name form"),
        new Case(
            "driver name too long",
            ENDPOINT.replace("csi.example.com", "a".repeat(60) + ".com"),
            "driver.name",
            "at most 63 characters"),
        new Case(
            "unknown csi-addons parameter",
            ENDPOINT.replace(
                "  name:",
                "  replication:\n"
                    + "    parameters: { replication.storage.openshift.io/mode: x }\n"
                    + "  name:"),
            "driver.replication.parameters.replication.storage.openshift.io/mode",
            "unknown csi-addons parameter; expected one of"
                + " replication.storage.openshift.io/{replication-secret-name"),
        new Case(
            "bad volume mode",
            ENDPOINT.replace("  name:", "  volume: { mode: block }\n  name:"),
            "driver.volume.mode",
            "expected one of Filesystem, Block"),
        new Case(
            "bad quantity",
            ENDPOINT.replace("  name:", "  volume: { size: 1GB }\n  name:"),
            "driver.volume.size",
            "expected a quantity like 1Gi, 500Mi or 10G"),
        new Case(
            "fsType on a block volume",
            ENDPOINT.replace("  name:", "  volume: { mode: Block, fsType: xfs }\n  name:"),
            "driver.volume.fsType",
            "not used for Block volumes"),
        new Case(
            "duplicate s3 profile names",
            CLUSTERS + S3 + S3.replace("s3Profiles:\n", ""),
            "s3Profiles[1].name",
            "duplicate profile name"),
        new Case(
            "s3 profile with both credential forms",
            CLUSTERS
                + S3
                + "    accessKeyId: { fromEnv: K }\n    secretAccessKey: { fromEnv: S }\n",
            "s3Profiles[0]",
            "both inline keys and secretRef; expected exactly one of"),
        new Case(
            "s3 profile without credentials",
            CLUSTERS
                + S3.replace("    secretRef: { name: s3-creds, namespace: ramen-system }\n", ""),
            "s3Profiles[0]",
            "no credentials; expected exactly one of"),
        new Case(
            "s3 profile with half the inline keys",
            CLUSTERS
                + S3.replace(
                    "    secretRef: { name: s3-creds, namespace: ramen-system }\n",
                    "    accessKeyId: { fromEnv: HOME }\n"),
            "s3Profiles[1].secretAccessKey".replace("[1]", "[0]"),
            "required; expected a secret"),
        new Case(
            "s3 bucket of the wrong type",
            CLUSTERS + S3.replace("bucket: ramen", "bucket: [ramen]"),
            "s3Profiles[0].bucket",
            "expected a string"),
        new Case(
            "bad secretRef namespace",
            CLUSTERS + S3.replace("ramen-system", "Ramen_System"),
            "s3Profiles[0].secretRef.namespace",
            "expected a Kubernetes namespace name"),
        new Case(
            "empty hook command",
            ENDPOINT + "disaster: { sites: { east: { down: [], up: [power-on] } } }\n",
            "disaster.sites.east.down",
            "empty command; expected a command as a list"),
        new Case(
            "hook command with an empty argument",
            ENDPOINT + "disaster: { sites: { east: { down: [power, \"\"], up: [power-on] } } }\n",
            "disaster.sites.east.down[1]",
            "expected a non-empty argument"),
        new Case(
            "replication control without resume",
            ENDPOINT.replace("  name:", "  replicationControl: { pause: [p] }\n  name:"),
            "driver.replicationControl.resume",
            "required; expected a command as a list"),
        new Case(
            "unknown timeout override",
            ENDPOINT + "timeouts: { overrides: { promotion: 5m } }\n",
            "timeouts.overrides.promotion",
            "unknown timeout 'promotion'; known timeouts: poll, rpc, volumeProvision"),
        new Case(
            "unknown timeout profile",
            ENDPOINT + "timeouts: { profile: fast }\n",
            "timeouts.profile",
            "expected one of default, slow, lab"),
        new Case(
            "idempotentCount too small",
            ENDPOINT + "suite: { idempotentCount: 0 }\n",
            "suite.idempotentCount",
            "expected a whole number from 1 to 100"),
        new Case(
            "idempotentCount too large",
            ENDPOINT + "suite: { idempotentCount: 101 }\n",
            "suite.idempotentCount",
            "expected a whole number from 1 to 100"),
        new Case(
            "integer overflow",
            ENDPOINT + "suite: { idempotentCount: 99999999999 }\n",
            "suite.idempotentCount",
            "expected a whole number"),
        new Case(
            "record size out of range",
            ENDPOINT + "workload: { recordSize: 2097152 }\n",
            "workload.recordSize",
            "from 512 to 1048576"),
        new Case(
            "unset secret environment variable",
            ENDPOINT.replace(
                "  name:", "  secrets: { token: { fromEnv: REPLCERT_TEST_UNSET } }\n  name:"),
            "driver.secrets.token",
            "environment variable REPLCERT_TEST_UNSET is not set"),
        new Case(
            "missing secret file",
            ENDPOINT.replace(
                "  name:", "  secrets: { token: { fromFile: /nonexistent/token } }\n  name:"),
            "driver.secrets.token",
            "secret file /nonexistent/token is missing or not readable"),
        new Case(
            "secret with an unknown form",
            ENDPOINT.replace("  name:", "  secrets: { token: { fromVault: x } }\n  name:"),
            "driver.secrets.token",
            "expected a secret: a quoted string, {fromEnv: NAME} or {fromFile: path}"),
        new Case(
            "duplicate key",
            ENDPOINT + "mode: lab\n",
            "mode",
            "duplicate key; expected each key once"),
        new Case(
            "YAML syntax error",
            ENDPOINT + "suite:\n  idempotentCount: 3\n bad: [\n",
            "suite",
            "YAML syntax error; expected well-formed YAML"),
        new Case(
            "existing DRPolicy without its class",
            ENDPOINT + "classes: { drPolicy: vendor-dr }\n",
            "classes.drPolicy",
            "an existing DRPolicy needs the VolumeReplicationClass it selects: expected"
                + " classes.volumeReplicationClass too"),
        new Case(
            "YAML alias",
            ENDPOINT + "classes: { storageClass: &sc gold, volumeSnapshotClass: *sc }\n",
            "classes.volumeSnapshotClass",
            "a YAML alias (*name); expected the value written out"),
        new Case(
            "second document",
            ENDPOINT + "---\nmode: lab\n",
            "(document)",
            "a second YAML document; expected exactly one"),
        new Case(
            "top level not a mapping",
            "- apiVersion: replcert.dev/v1alpha1\n",
            "(document)",
            "the top level is not a mapping"),
        new Case("empty file", "# nothing but a comment\n", "(document)", "the file is empty"));
  }

  @BeforeAll
  static void writeKubeconfig() {
    kubeconfig = ConfigFiles.kubeconfig(dir, "kubeconfig");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void isRejectedWithKeyPathAndExpectation(Case c) {
    Path file =
        ConfigFiles.write(
            dir,
            c.name().replace(' ', '-') + ".yaml",
            c.yaml().replace("KUBE", kubeconfig.toString()));

    ConfigException e = rejected(file, Map.of(), Map.of("HOME", "/home/vendor"));

    ConfigProblem problem = problemAt(e, c.keyPath());
    assertThat(problem.expected()).contains(c.expected());
    assertThat(problem.source()).startsWith(file.toString());
    assertThat(e.getMessage()).contains(c.keyPath() + ": " + problem.expected());
  }

  @Test
  void theTemplatesThemselvesAreValid() {
    Path clusters =
        ConfigFiles.write(
            dir, "clusters-ok.yaml", (CLUSTERS + S3).replace("KUBE", kubeconfig.toString()));
    Path endpoint = ConfigFiles.write(dir, "endpoint-ok.yaml", ENDPOINT);

    assertThat(ConfigLoader.load(clusters, Map.of(), Map.of()).mode()).isEqualTo(Mode.CLUSTERS);
    assertThat(ConfigLoader.load(endpoint, Map.of(), Map.of()).mode()).isEqualTo(Mode.ENDPOINT);
  }

  @Test
  void aSyntaxErrorSaysWhichLine() {
    Path file =
        ConfigFiles.write(dir, "syntax.yaml", ENDPOINT + "suite:\n  idempotentCount: 3\n bad: [\n");

    assertThat(problemAt(rejected(file), "suite").source()).isEqualTo(file + ":11:2");
  }

  @Test
  void aDuplicateKeyPointsAtTheSecondOccurrence() {
    Path file = ConfigFiles.write(dir, "dup.yaml", ENDPOINT + "mode: lab\n");

    assertThat(problemAt(rejected(file), "mode").source()).isEqualTo(file + ":9:1");
  }

  @Test
  void aMissingFileIsReported() {
    Path file = dir.resolve("does-not-exist.yaml");

    ConfigProblem problem = problemAt(rejected(file), "(document)");

    assertThat(problem.source()).isEqualTo(file.toString());
    assertThat(problem.expected()).contains("file not found");
  }
}
