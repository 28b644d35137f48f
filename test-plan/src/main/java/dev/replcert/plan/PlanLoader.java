package dev.replcert.plan;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Loads and validates plan.yaml.
 *
 * <p>Strict on purpose: a typo in a key (or a key given twice, where YAML would silently keep
 * the last one) would otherwise drop a certification case or change its level without anybody
 * noticing. Every problem is collected and reported at once, naming the file and the item.
 */
public final class PlanLoader {

  /** Classpath location of the plan shipped in this module's jar. */
  public static final String BUNDLED_RESOURCE = "META-INF/replcert/plan.yaml";

  /**
   * Capability ids a plan item may require. Mirrors {@code dev.replcert.harness.config.Capability}
   * (its {@code id()} values, in the same order); this module cannot depend on the harness, so the
   * reports module checks that the two lists agree.
   */
  public static final List<String> KNOWN_CAPABILITIES =
      List.of(
          "replication",
          "force-promote",
          "resync",
          "replication-destination-info",
          "volume-group",
          "network-fence",
          "peer-fence",
          "pause-resume",
          "filesystem-mode",
          "block-mode",
          "node-data-path",
          "snapshots",
          "volsync",
          "vm-workloads",
          "vm-live-migration");

  /** Where a case comes from; the report groups and credits cases by these. */
  public static final List<String> KNOWN_SOURCES =
      List.of("RamenDR", "Ceph CSI", "CNV", "csi-addons spec", "replcert");

  // The YAML parser itself keeps duplicate keys (last wins); DuplicateKeys reports them instead.
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private PlanLoader() {}

  /** The plan shipped with this build of replcert. */
  public static TestPlan loadBundled() {
    URL url = PlanLoader.class.getClassLoader().getResource(BUNDLED_RESOURCE);
    if (url == null) {
      throw new IllegalStateException(
          "classpath resource " + BUNDLED_RESOURCE + " is missing: is replcert-test-plan on the classpath?");
    }
    try (InputStream in = url.openStream()) {
      return parse("classpath:" + BUNDLED_RESOURCE, new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + url, e);
    }
  }

  /** A plan from a file; throws IllegalArgumentException naming the file and item on errors. */
  public static TestPlan load(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read test plan " + file, e);
    }
    return parse(file.toString(), text);
  }

  /**
   * Parses and validates plan text.
   *
   * @param origin the file or resource name used in messages
   */
  static TestPlan parse(String origin, String text) {
    JsonNode root;
    List<String> duplicates;
    try {
      root = YAML.readTree(text);
      duplicates = DuplicateKeys.find(YAML.getFactory(), text);
    } catch (JacksonException e) {
      throw new InvalidPlanException(origin, List.of("not valid YAML: " + e.getOriginalMessage()
          + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")")));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot parse " + origin, e);
    }
    List<String> problems = new ArrayList<>();
    for (String pointer : duplicates) {
      problems.add(PlanValidator.describeDuplicate(root, pointer));
    }
    TestPlan plan = new PlanValidator(problems).validate(root);
    if (!problems.isEmpty()) {
      throw new InvalidPlanException(origin, problems);
    }
    return plan;
  }
}
