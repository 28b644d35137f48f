package dev.replcert.lab;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The CustomResourceDefinitions the lab registers in each of its API servers, so that their
 * status subresources behave as on a real cluster (status dropped on create, written through
 * {@code /status} only, generation bumped by spec changes only).
 *
 * <p>They come from the classpath: {@value #INDEX} lists one YAML file name per line (blank lines
 * and {@code #} comments are skipped), each file beside the index. Every index on the classpath is
 * read; a file listed twice is registered once. A listed file that is missing or is not a CRD fails
 * the lab's start naming the file and the index that lists it.
 */
final class LabCrds {

  static final String DIRECTORY = "META-INF/replcert/crds/";
  static final String INDEX = DIRECTORY + "index";

  private static final Logger LOG = LoggerFactory.getLogger(LabCrds.class);

  private final List<CustomResourceDefinition> crds;

  private LabCrds(List<CustomResourceDefinition> crds) {
    this.crds = List.copyOf(crds);
  }

  /** Reads every CRD listed by the indexes on the class loader's classpath. */
  static LabCrds fromClasspath(ClassLoader loader) {
    KubernetesSerialization yaml = new KubernetesSerialization();
    Map<String, CustomResourceDefinition> byFile = new LinkedHashMap<>();
    List<URL> indexes;
    try {
      indexes = Collections.list(loader.getResources(INDEX));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot look up " + INDEX + " on the classpath", e);
    }
    if (indexes.isEmpty()) {
      LOG.warn("no {} on the classpath: the lab's API servers get no CRDs", INDEX);
    }
    for (URL index : indexes) {
      for (String file : fileNames(index)) {
        if (!byFile.containsKey(file)) {
          byFile.put(file, read(yaml, index, file));
        }
      }
    }
    return new LabCrds(new ArrayList<>(byFile.values()));
  }

  /** The CRDs in index order. */
  List<CustomResourceDefinition> definitions() {
    return crds;
  }

  /** Creates every CRD in the cluster the client talks to. */
  void registerIn(KubernetesClient client) {
    for (CustomResourceDefinition crd : crds) {
      client.apiextensions().v1().customResourceDefinitions().resource(crd).create();
    }
  }

  private static List<String> fileNames(URL index) {
    String text;
    try (InputStream in = index.openStream()) {
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + index, e);
    }
    List<String> names = new ArrayList<>();
    for (String line : text.split("\\R")) {
      String name = line.strip();
      if (name.isEmpty() || name.startsWith("#")) {
        continue;
      }
      if (name.contains("/") || name.contains("\\")) {
        throw new IllegalStateException(
            index + " lists '" + name + "'; expected a file name beside the index, without a path");
      }
      names.add(name);
    }
    return names;
  }

  private static CustomResourceDefinition read(KubernetesSerialization yaml, URL index, String file) {
    URL url = beside(index, file);
    Object parsed;
    try (InputStream in = url.openStream()) {
      parsed = yaml.unmarshal(in);
    } catch (IOException e) {
      throw new IllegalStateException(
          index + " lists " + file + ", but " + DIRECTORY + file + " is not on the classpath", e);
    } catch (RuntimeException e) {
      throw new IllegalStateException(
          "cannot parse " + DIRECTORY + file + " (listed in " + index + "): " + e.getMessage(), e);
    }
    if (parsed instanceof CustomResourceDefinition crd) {
      return crd;
    }
    throw new IllegalStateException(
        DIRECTORY
            + file
            + " (listed in "
            + index
            + ") is not one apiextensions.k8s.io/v1 CustomResourceDefinition but "
            + (parsed == null ? "empty" : parsed.getClass().getSimpleName()));
  }

  private static URL beside(URL index, String file) {
    try {
      // jar:file:...!/META-INF/replcert/crds/index resolves relative names the same way as file:
      String base = index.toString();
      return URI.create(base.substring(0, base.lastIndexOf('/') + 1) + file).toURL();
    } catch (IOException | IllegalArgumentException e) {
      throw new IllegalStateException("cannot locate " + file + " beside " + index, e);
    }
  }
}
