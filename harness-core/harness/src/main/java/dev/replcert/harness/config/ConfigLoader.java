package dev.replcert.harness.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Loads cert.yaml: file, then {@code -Dcert.*} overrides, then binding and validation. Every
 * problem is reported before anything runs, in one {@link ConfigException}.
 *
 * <p>Without a file the result is the lab: mode lab, the bundled reference driver, every capability
 * claimed, the lab timeout profile.
 */
public final class ConfigLoader {

  /** System property naming the file; the environment variable is the fallback. */
  public static final String FILE_PROPERTY = "cert.config";

  public static final String FILE_ENV = "REPLCERT_CONFIG";

  /** Set by the build to the project root (see the parent pom's surefire configuration). */
  static final String ROOT_DIR_PROPERTY = "replcert.rootDir";

  private ConfigLoader() {}

  /**
   * The config for this JVM's run: the file from {@code -Dcert.config} or {@code REPLCERT_CONFIG}
   * (or none), with every other {@code cert.*} system property as an override.
   */
  public static CertificationConfig loadForRun() {
    return loadForRun(System.getProperties(), System.getenv());
  }

  /**
   * As {@link #loadForRun()}, with the file named by the caller (a JUnit configuration parameter,
   * say); null falls back to {@code -Dcert.config} / {@code REPLCERT_CONFIG}.
   */
  public static CertificationConfig loadForRun(String file) {
    return loadForRun(file, Map.of());
  }

  /**
   * As {@link #loadForRun(String)}, with {@code cert.<key.path>} overrides of this run that win
   * over the system properties of the same key.
   */
  public static CertificationConfig loadForRun(String file, Map<String, String> runOverrides) {
    Properties properties = new Properties();
    properties.putAll(System.getProperties());
    properties.putAll(runOverrides);
    if (file != null && !file.isBlank()) {
      properties.setProperty(FILE_PROPERTY, file);
    }
    return loadForRun(properties, System.getenv());
  }

  static CertificationConfig loadForRun(Properties properties, Map<String, String> env) {
    Function<String, Path> runPath = runPaths(properties.getProperty(ROOT_DIR_PROPERTY));
    String file = properties.getProperty(FILE_PROPERTY);
    if (file == null || file.isBlank()) {
      file = env.get(FILE_ENV);
    }
    Map<String, String> overrides = new TreeMap<>();
    for (String key : properties.stringPropertyNames()) {
      if (key.startsWith(Overrides.PREFIX) && !key.equals(FILE_PROPERTY)) {
        overrides.put(key, properties.getProperty(key));
      }
    }
    Path path = file == null || file.isBlank() ? null : runPath.apply(file);
    return load(path, overrides, env, runPath);
  }

  /**
   * The testable core.
   *
   * @param fileOrNull cert.yaml, or null for the lab defaults
   * @param overrides key path (with or without the {@code cert.} prefix) to value, as given by
   *     {@code -Dcert.<key.path>=value}
   * @param env the environment {@code fromEnv} secrets are checked and later read against
   */
  public static CertificationConfig load(
      Path fileOrNull, Map<String, String> overrides, Map<String, String> env) {
    Path cwd = Path.of("").toAbsolutePath();
    return load(
        fileOrNull,
        Objects.requireNonNullElse(overrides, Map.of()),
        Objects.requireNonNullElse(env, Map.of()),
        PathResolver.against(cwd));
  }

  /** The lab: no file, no overrides. */
  public static CertificationConfig defaults() {
    return load(null, Map.of(), Map.of());
  }

  private static CertificationConfig load(
      Path file,
      Map<String, String> overrideMap,
      Map<String, String> env,
      Function<String, Path> overridePaths) {
    YamlDocument document = file == null ? null : YamlDocument.read(file);
    ObjectNode tree = document == null ? labTree() : document.root();
    // An override like -Dcert.capabilities.volume-group=true adds to the default profile
    // instead of replacing it.
    tree.putIfAbsent("capabilities", ConfigMapper.toTree(CapabilityProfile.replicationOnly()));
    Overrides overrides = Overrides.of(overrideMap);
    Problems problems = new Problems(document, overrides.sources());
    overrides.applyTo(tree, problems);
    if (!versionAccepted(tree, document != null, problems)) {
      problems.throwIfAny();
    }
    Function<String, Path> filePaths =
        file == null ? overridePaths : PathResolver.against(file.toAbsolutePath().getParent());
    new PathResolver(filePaths, overridePaths, overrides.sources().keySet()).resolve(tree);
    CertificationConfig config = TreeBinder.bind(tree, env, problems);
    if (config != null) {
      ConfigValidator.validate(config, problems);
    }
    problems.throwIfAny();
    return config;
  }

  /** What "no file" means: the lab, with the reference driver's own profile. */
  private static ObjectNode labTree() {
    ObjectNode tree = JsonNodeFactory.instance.objectNode();
    tree.put("apiVersion", CertificationConfig.API_VERSION);
    tree.put("kind", CertificationConfig.KIND);
    tree.set("capabilities", ConfigMapper.toTree(CapabilityProfile.referenceDriver()));
    // the reference driver exposes raw bytes, not a file system: its volumes are block volumes
    tree.putObject("driver").putObject("volume").put("mode", VolumeMode.BLOCK.id());
    return tree;
  }

  /**
   * Checks apiVersion and kind on the tree, before binding. False when the document is another
   * schema (or not a CertificationConfig at all): its keys would only produce noise.
   */
  private static boolean versionAccepted(ObjectNode tree, boolean fileGiven, Problems problems) {
    boolean sameSchema = true;
    for (var required :
        List.of(
            Map.entry("apiVersion", CertificationConfig.API_VERSION),
            Map.entry("kind", CertificationConfig.KIND))) {
      JsonNode value = tree.get(required.getKey());
      String expected = "expected " + required.getKey() + ": " + required.getValue();
      if (value == null || value.isNull()) {
        if (fileGiven) {
          problems.add(required.getKey(), "required; " + expected);
        }
      } else if (!value.isTextual() || !value.asText().equals(required.getValue())) {
        problems.add(
            required.getKey(),
            expected + " (the only " + required.getKey() + " this harness reads)");
        sameSchema = false;
      }
    }
    return sameSchema;
  }

  /**
   * Resolves a path given on the command line. Maven runs tests in each module's directory, so a
   * relative path that does not exist there is taken from the project root, where the vendor typed
   * {@code ./mvnw ... -Dcert.config=cert.yaml}.
   */
  private static Function<String, Path> runPaths(String rootDir) {
    return raw -> {
      Path path = Path.of(raw);
      Path fromCwd = path.toAbsolutePath().normalize();
      if (path.isAbsolute() || Files.exists(fromCwd) || rootDir == null || rootDir.isBlank()) {
        return fromCwd;
      }
      return Path.of(rootDir).resolve(path).toAbsolutePath().normalize();
    };
  }
}
