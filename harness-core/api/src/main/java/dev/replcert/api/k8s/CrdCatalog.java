package dev.replcert.api.k8s;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * The CRDs replcert speaks, as kept in this module under {@value #DIRECTORY}: csi-addons
 * replication and fencing, OCM work/view/placement/cluster, external-snapshotter and Ramen.
 *
 * <p>The file {@value #INDEX} lists the CRD files one per line; that list is the contract with the
 * lab, which registers every listed CRD in its API servers (so status subresources behave), and with
 * the documentation of what a real cluster must have installed. The Java models are generated from
 * the same files (packages named after the group, e.g. {@code io.openshift.storage.replication.v1alpha1}).
 */
public final class CrdCatalog {

  /** Class-path folder holding the CRD YAMLs. */
  public static final String DIRECTORY = "META-INF/replcert/crds/";

  /** Class-path resource listing the CRD files of {@link #DIRECTORY}, one file name per line. */
  public static final String INDEX = DIRECTORY + "index";

  private static final KubernetesSerialization YAML = new KubernetesSerialization();

  /** Whether a resource lives in a namespace or in the whole cluster. */
  public enum Scope implements WireValue {
    NAMESPACED("Namespaced"),
    CLUSTER("Cluster");

    private final String wire;

    Scope(String wire) {
      this.wire = wire;
    }

    @Override
    public String wire() {
      return wire;
    }

    public static Scope parse(String value) {
      return WireValue.parse(Scope.class, value);
    }
  }

  /**
   * One CRD of the catalog.
   *
   * @param file file name under {@link #DIRECTORY}, as listed in the index
   * @param version the served storage version (each CRD here has exactly one)
   * @param statusSubresource whether {@code .status} is a subresource (written only via /status)
   */
  public record Entry(
      String file,
      String group,
      String version,
      String kind,
      String plural,
      String singular,
      List<String> shortNames,
      Scope scope,
      boolean statusSubresource) {

    /** {@code group/version}, as in {@code apiVersion} of an object. */
    public String apiVersion() {
      return group + "/" + version;
    }

    /** The CRD object's name, {@code plural.group}. */
    public String crdName() {
      return plural + "." + group;
    }

    /**
     * Name of the class java-generator made for this CRD: the group reversed, dashes as
     * underscores, then the version and the kind (e.g. {@code io.k8s.storage.snapshot.v1.VolumeSnapshot}).
     */
    public String modelClassName() {
      List<String> parts = new ArrayList<>(List.of(group.replace('-', '_').split("\\.")));
      Collections.reverse(parts);
      return String.join(".", parts) + "." + version + "." + kind;
    }
  }

  private CrdCatalog() {}

  /** Every CRD of the index, in index order. */
  public static List<Entry> all() {
    return Loaded.ENTRIES;
  }

  /** The CRD serving {@code plural} in {@code group}, if the catalog has it. */
  public static Optional<Entry> find(String group, String plural) {
    return all().stream()
        .filter(e -> e.group().equals(group) && e.plural().equals(plural))
        .findFirst();
  }

  /** The CRD of a model class (by its {@code @Group} and plural), if the catalog has it. */
  public static Optional<Entry> find(Class<? extends HasMetadata> type) {
    return find(HasMetadata.getGroup(type), HasMetadata.getPlural(type));
  }

  /** The CRD YAML of an entry; the caller closes the stream. */
  public static InputStream open(Entry entry) {
    return resource(DIRECTORY + entry.file());
  }

  /** The CRD of an entry as a fabric8 object, e.g. to create it in an API server. */
  public static CustomResourceDefinition definition(Entry entry) {
    try (InputStream in = open(entry)) {
      return YAML.unmarshal(in, CustomResourceDefinition.class);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read CRD " + DIRECTORY + entry.file(), e);
    }
  }

  /** The file names the index lists, blank lines skipped. */
  static List<String> indexFiles() {
    List<String> files = new ArrayList<>();
    try (BufferedReader reader =
        new BufferedReader(new InputStreamReader(resource(INDEX), StandardCharsets.UTF_8))) {
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        if (!line.isBlank()) {
          files.add(line.strip());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + INDEX, e);
    }
    return files;
  }

  static Entry entry(String file, CustomResourceDefinition crd) {
    var spec = crd.getSpec();
    if (spec.getVersions().size() != 1) {
      throw new IllegalStateException(
          file + ": expected exactly one version, found " + spec.getVersions().size());
    }
    CustomResourceDefinitionVersion version = spec.getVersions().get(0);
    var names = spec.getNames();
    Entry entry =
        new Entry(
            file,
            spec.getGroup(),
            version.getName(),
            names.getKind(),
            names.getPlural(),
            names.getSingular(),
            names.getShortNames() == null ? List.of() : List.copyOf(names.getShortNames()),
            Scope.parse(spec.getScope()),
            version.getSubresources() != null && version.getSubresources().getStatus() != null);
    String expectedFile = entry.crdName() + ".yaml";
    if (!file.equals(expectedFile) || !entry.crdName().equals(crd.getMetadata().getName())) {
      throw new IllegalStateException(
          file + ": CRD " + crd.getMetadata().getName() + " must live in " + expectedFile);
    }
    return entry;
  }

  private static InputStream resource(String name) {
    InputStream in = CrdCatalog.class.getClassLoader().getResourceAsStream(name);
    if (in == null) {
      throw new IllegalStateException("class-path resource " + name + " is missing");
    }
    return in;
  }

  /** Reads the index and every CRD once, on first use. */
  private static final class Loaded {
    static final List<Entry> ENTRIES = load();

    private static List<Entry> load() {
      List<Entry> entries = new ArrayList<>();
      for (String file : indexFiles()) {
        try (InputStream in = resource(DIRECTORY + file)) {
          entries.add(entry(file, YAML.unmarshal(in, CustomResourceDefinition.class)));
        } catch (IOException e) {
          throw new UncheckedIOException("cannot read CRD " + DIRECTORY + file, e);
        }
      }
      return List.copyOf(entries);
    }
  }
}
