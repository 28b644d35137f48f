package dev.replcert.lab.substrate.ocm;

import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Maps group/version/kind (or group/version/resource) to the REST resource of one managed cluster,
 * as a client-go RESTMapper does: Kubernetes' own kinds from fabric8's model, custom resources from
 * the CustomResourceDefinitions installed in that cluster (a mapping found is kept; one not found
 * is looked up again next time, so a CRD installed later is found).
 */
final class RestMapper {

  /** Kubernetes' own resources a view may name by resource instead of kind. */
  private static final Map<String, String> CORE_KINDS_BY_RESOURCE =
      Map.ofEntries(
          Map.entry("namespaces", "Namespace"),
          Map.entry("configmaps", "ConfigMap"),
          Map.entry("pods", "Pod"),
          Map.entry("persistentvolumeclaims", "PersistentVolumeClaim"),
          Map.entry("persistentvolumes", "PersistentVolume"),
          Map.entry("services", "Service"),
          Map.entry("nodes", "Node"),
          Map.entry("secrets", "Secret"));

  private static final Map<String, String> GROUPED_KINDS_BY_RESOURCE =
      Map.ofEntries(
          Map.entry("storage.k8s.io/storageclasses", "StorageClass"),
          Map.entry("apps/deployments", "Deployment"),
          Map.entry("apps/statefulsets", "StatefulSet"),
          Map.entry("batch/jobs", "Job"));

  private final String cluster;
  private final KubernetesClient client;
  /** Mappings found (CRDs are not removed in the lab; a missing one is looked up again). */
  private final Map<String, ResourceDefinitionContext> found = new java.util.concurrent.ConcurrentHashMap<>();

  RestMapper(String cluster, KubernetesClient client) {
    this.cluster = cluster;
    this.client = client;
  }

  /** The resource of {@code apiVersion}/{@code kind}, or empty if the cluster does not serve it. */
  Optional<ResourceDefinitionContext> forKind(String apiVersion, String kind) {
    Class<? extends KubernetesResource> type =
        client.getKubernetesSerialization().getRegisteredKubernetesResource(apiVersion, kind);
    if (type != null && isBuiltIn(type)) {
      return Optional.of(ResourceDefinitionContext.fromResourceType(type));
    }
    String group = apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "";
    String version = apiVersion.substring(apiVersion.indexOf('/') + 1);
    return crd(group, version, kind, null);
  }

  /**
   * The resource named by a view's scope: {@code resource} (plural, optionally {@code
   * plural.group}) or {@code kind}, in {@code group} and {@code version} (the CRD's first served
   * version when empty).
   */
  Optional<ResourceDefinitionContext> forScope(
      String group, String version, String kind, String resource) {
    String g = group == null ? "" : group;
    String plural = resource;
    if (plural != null && !plural.isEmpty() && plural.contains(".") && g.isEmpty()) {
      g = plural.substring(plural.indexOf('.') + 1);
      plural = plural.substring(0, plural.indexOf('.'));
    }
    String k = kind;
    if ((k == null || k.isEmpty()) && plural != null && !plural.isEmpty()) {
      k = g.isEmpty() ? CORE_KINDS_BY_RESOURCE.get(plural) : GROUPED_KINDS_BY_RESOURCE.get(g + "/" + plural);
    }
    if (k != null && !k.isEmpty()) {
      String v = version == null || version.isEmpty() ? defaultVersion(g) : version;
      Optional<ResourceDefinitionContext> byKind =
          forKind(g.isEmpty() ? v : g + "/" + v, k);
      if (byKind.isPresent()) {
        return byKind;
      }
    }
    return crd(g, version, k, plural);
  }

  private static String defaultVersion(String group) {
    return switch (group) {
      case "" , "apps", "batch", "storage.k8s.io" -> "v1";
      default -> "";
    };
  }

  private static boolean isBuiltIn(Class<?> type) {
    return type.getName().startsWith("io.fabric8.kubernetes.api.model.");
  }

  private Optional<ResourceDefinitionContext> crd(
      String group, String version, String kind, String plural) {
    String key = group + "|" + version + "|" + kind + "|" + plural;
    ResourceDefinitionContext known = found.get(key);
    if (known != null) {
      return Optional.of(known);
    }
    Optional<ResourceDefinitionContext> result = lookUp(group, version, kind, plural);
    result.ifPresent(c -> found.put(key, c));
    return result;
  }

  private Optional<ResourceDefinitionContext> lookUp(
      String group, String version, String kind, String plural) {
    try {
      for (CustomResourceDefinition crd :
          client.apiextensions().v1().customResourceDefinitions().list().getItems()) {
        var spec = crd.getSpec();
        if (!Objects.equals(group, spec.getGroup())) {
          continue;
        }
        boolean named =
            (kind != null && !kind.isEmpty() && kind.equals(spec.getNames().getKind()))
                || (plural != null && !plural.isEmpty() && plural.equals(spec.getNames().getPlural()));
        if (!named) {
          continue;
        }
        Optional<String> served =
            spec.getVersions().stream()
                .filter(v -> Boolean.TRUE.equals(v.getServed()))
                .map(CustomResourceDefinitionVersion::getName)
                .filter(v -> version == null || version.isEmpty() || v.equals(version))
                .findFirst();
        if (served.isEmpty()) {
          continue;
        }
        return Optional.of(
            new ResourceDefinitionContext.Builder()
                .withGroup(spec.getGroup())
                .withVersion(served.get())
                .withKind(spec.getNames().getKind())
                .withPlural(spec.getNames().getPlural())
                .withNamespaced("Namespaced".equals(spec.getScope()))
                .build());
      }
      return Optional.empty();
    } catch (KubernetesClientException e) {
      throw ClusterUnreachable.classify(cluster, e);
    }
  }
}
