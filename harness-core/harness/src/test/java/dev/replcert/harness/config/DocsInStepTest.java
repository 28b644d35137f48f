package dev.replcert.harness.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.replcert.api.k8s.GoDuration;
import java.io.IOException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** docs/cert-yaml.md and cert.example.yaml say what the code does. */
class DocsInStepTest {

  private static final Pattern ROW =
      Pattern.compile("^\\| `([^`]+)` \\| (.*) \\|$", Pattern.MULTILINE);

  @TempDir Path dir;

  @Test
  void theTimeoutTableIsTheCode() throws IOException {
    Map<String, List<String>> rows = rows(section("### `timeouts`"));

    for (TimeoutOperation op : TimeoutOperation.values()) {
      List<String> cells = rows.get(op.id());
      assertThat(cells).as("row for %s", op.id()).isNotNull().hasSize(4);
      assertThat(cells.get(0)).isEqualTo(op.description());
      for (int i = 0; i < 3; i++) {
        String profile = TimeoutProfile.presetNames().get(i);
        assertThat(GoDuration.parse(cells.get(i + 1)))
            .as("%s in %s", op.id(), profile)
            .isEqualTo(TimeoutProfile.named(profile).of(op));
      }
    }
  }

  @Test
  void theCapabilityTableIsTheEnum() throws IOException {
    Map<String, List<String>> rows = rows(section("### `capabilities`"));

    for (Capability c : Capability.values()) {
      assertThat(rows.get(c.id())).as("row for %s", c.id()).isNotNull();
      assertThat(rows.get(c.id()).get(0)).startsWith(c.description());
    }
  }

  @Test
  void everyKeyIsDocumented() throws IOException {
    String docs = docs();

    for (String key : keyNames()) {
      assertThat(docs)
          .as("docs/cert-yaml.md mentions %s", key)
          .containsPattern("[`.{]" + key + "[`./ }]");
    }
  }

  @Test
  void theExampleIsAValidConfig() throws IOException {
    Path example = dir.resolve("cert.yaml");
    Files.copy(root().resolve("cert.example.yaml"), example);
    for (String site : List.of("hub", "east", "west")) {
      ConfigFiles.kubeconfig(dir, "kubeconfigs/" + site + ".kubeconfig");
    }
    ConfigFiles.write(dir, "secrets/csi-user-key", "key\n");
    Map<String, String> env =
        Map.of(
            "VENDOR_CSI_USER", "u", "S3_EAST_ACCESS_KEY_ID", "a", "S3_EAST_SECRET_ACCESS_KEY", "s");

    CertificationConfig c = ConfigLoader.load(example, Map.of(), env);

    assertThat(c.mode()).isEqualTo(Mode.CLUSTERS);
    assertThat(c.orchestrator()).isEqualTo(Orchestrator.RAMEN);
    assertThat(c.capabilities().asMap()).hasSize(Capability.values().length);
    assertThat(c.redacted().toString())
        .doesNotContain("<redacted>"); // the example has no inline secret
  }

  /** The environment variables the README's examples name for their secrets. */
  private static final Map<String, String> README_ENV =
      Map.of(
          "VENDOR_TOKEN", "t0k3n",
          "S3_EAST_KEY", "a", "S3_EAST_SECRET", "s",
          "S3_WEST_KEY", "a", "S3_WEST_SECRET", "s");

  @Test
  void everyReadmeExampleIsAValidConfig() throws IOException {
    String readme = Files.readString(root().resolve("README.md"));
    java.util.regex.Matcher block =
        java.util.regex.Pattern.compile("```yaml\n(.*?)```", java.util.regex.Pattern.DOTALL)
            .matcher(readme);
    for (String site : List.of("hub", "east", "west")) {
      ConfigFiles.kubeconfig(dir, "kubeconfigs/" + site);
    }
    List<CertificationConfig> examples = new java.util.ArrayList<>();
    while (block.find()) {
      Path example = dir.resolve("cert-" + examples.size() + ".yaml");
      Files.writeString(example, block.group(1));
      examples.add(ConfigLoader.load(example, Map.of(), README_ENV));
    }

    // keys at a glance, layer 2 with Ramen, layer 2 with the bundled orchestrator, endpoint mode
    assertThat(examples)
        .extracting(CertificationConfig::mode)
        .containsExactly(Mode.CLUSTERS, Mode.CLUSTERS, Mode.CLUSTERS, Mode.ENDPOINT);
    assertThat(examples.get(0).capabilities().claims(Capability.FORCE_PROMOTE)).isTrue();
    assertThat(examples.get(0).capabilities().claims(Capability.VOLUME_GROUP)).isFalse();
    assertThat(examples.get(1).orchestrator()).isEqualTo(Orchestrator.RAMEN);
    assertThat(examples.get(2).orchestrator()).isEqualTo(Orchestrator.BUNDLED);
    assertThat(examples.get(2).s3Profiles()).hasSize(2);
    assertThat(examples.get(3).driver().endpoints().east().node()).isEqualTo("unix:///run/east/csi.sock");
  }

  /** The key names of every record reachable from CertificationConfig. */
  private static Set<String> keyNames() {
    Set<String> names = new LinkedHashSet<>();
    Deque<Type> todo = new ArrayDeque<>(List.of(CertificationConfig.class));
    while (!todo.isEmpty()) {
      Type type = todo.pop();
      if (type instanceof ParameterizedType p) {
        todo.addAll(List.of(p.getActualTypeArguments()));
        type = p.getRawType();
      }
      if (type instanceof Class<?> c && c.isRecord()) {
        for (RecordComponent rc : c.getRecordComponents()) {
          if (names.add(rc.getName())) {
            todo.add(rc.getGenericType());
          }
        }
      }
    }
    return names;
  }

  private static Map<String, List<String>> rows(String markdown) {
    Map<String, List<String>> rows = new HashMap<>();
    Matcher m = ROW.matcher(markdown);
    while (m.find()) {
      rows.putIfAbsent(m.group(1), List.of(m.group(2).split(" \\| ")));
    }
    return rows;
  }

  /** From a heading to the next heading of the same level: ids repeat across tables. */
  private static String section(String heading) throws IOException {
    String docs = docs();
    int start = docs.indexOf(heading + "\n");
    assertThat(start).as("heading %s", heading).isNotNegative();
    int end = docs.indexOf("\n### ", start + heading.length());
    return end < 0 ? docs.substring(start) : docs.substring(start, end);
  }

  private static String docs() throws IOException {
    return Files.readString(root().resolve("docs/cert-yaml.md"));
  }

  /** The project root: set by the build, else found from the working directory. */
  private static Path root() {
    String rootDir = System.getProperty(ConfigLoader.ROOT_DIR_PROPERTY);
    if (rootDir != null && Files.exists(Path.of(rootDir, "cert.example.yaml"))) {
      return Path.of(rootDir);
    }
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.exists(p.resolve("cert.example.yaml"))) {
        return p;
      }
    }
    throw new IllegalStateException(
        "cert.example.yaml not found above " + Path.of("").toAbsolutePath());
  }
}
