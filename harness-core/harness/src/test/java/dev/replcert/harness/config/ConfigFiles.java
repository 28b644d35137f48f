package dev.replcert.harness.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Writes cert.yaml variants into a temp dir and reads the problems they cause. */
final class ConfigFiles {

  static final String HEADER = "apiVersion: replcert.dev/v1alpha1\nkind: CertificationConfig\n";

  /** A minimal valid endpoint-mode file: no cluster files needed. */
  static final String ENDPOINT =
      HEADER
          + """
            mode: endpoint
            driver:
              name: csi.example.com
              endpoints:
                east: { csi: "unix:///run/east.sock" }
                west: { csi: "unix:///run/west.sock" }
            """;

  private ConfigFiles() {}

  static Path write(Path dir, String name, String content) {
    try {
      Path file = dir.resolve(name);
      Files.createDirectories(file.getParent());
      Files.writeString(file, content);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Path write(Path dir, String content) {
    return write(dir, "cert.yaml", content);
  }

  /** Copies a resource under src/test/resources/config into {@code dir}. */
  static Path copyResource(Path dir, String name) {
    try (InputStream in = ConfigFiles.class.getResourceAsStream("/config/" + name)) {
      Path file = dir.resolve(name);
      Files.copy(in, file);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Path kubeconfig(Path dir, String name) {
    return write(dir, name, "apiVersion: v1\nkind: Config\nclusters: []\n");
  }

  static ConfigException rejected(
      Path file, Map<String, String> overrides, Map<String, String> env) {
    ConfigException e =
        catchThrowableOfType(ConfigException.class, () -> ConfigLoader.load(file, overrides, env));
    assertThat(e).as("expected the config to be rejected").isNotNull();
    return e;
  }

  static ConfigException rejected(Path file) {
    return rejected(file, Map.of(), Map.of());
  }

  /** The problem at exactly {@code keyPath}; fails listing all problems if there is none. */
  static ConfigProblem problemAt(ConfigException e, String keyPath) {
    List<ConfigProblem> at =
        e.problems().stream().filter(p -> p.keyPath().equals(keyPath)).toList();
    assertThat(at).as("problems at %s in:%n%s", keyPath, e.getMessage()).hasSize(1);
    return at.get(0);
  }
}
