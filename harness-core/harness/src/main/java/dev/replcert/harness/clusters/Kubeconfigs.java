package dev.replcert.harness.clusters;

import dev.replcert.harness.config.ClusterRef;
import dev.replcert.harness.junit.EnvironmentUnavailableException;
import io.fabric8.kubernetes.api.model.NamedContext;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Objects;

/**
 * A Kubernetes client for one cluster of cert.yaml, from its kubeconfig file and context. Every
 * refusal names the cluster, the file and the context, never the file's content (it holds
 * credentials).
 */
final class Kubeconfigs {

  private Kubeconfigs() {}

  /** The client of {@code cluster} ({@code hub}, {@code east}, {@code west}); not yet contacted. */
  static KubernetesClient client(String cluster, ClusterRef ref) {
    String content;
    try {
      content = Files.readString(ref.kubeconfig());
    } catch (IOException e) {
      throw refused(cluster, ref, "cannot read the kubeconfig (" + e.getClass().getSimpleName() + ")");
    }
    io.fabric8.kubernetes.api.model.Config parsed;
    try {
      parsed = new KubernetesSerialization().unmarshal(content, io.fabric8.kubernetes.api.model.Config.class);
    } catch (RuntimeException e) {
      // the parser's message may quote the file, and the file holds credentials
      throw refused(cluster, ref, "the file is not a kubeconfig (YAML with clusters, users, contexts)");
    }
    String context = context(cluster, ref, parsed);
    Config config;
    try {
      config = Config.fromKubeconfig(context, content, ref.kubeconfig().toString());
    } catch (RuntimeException e) {
      throw refused(cluster, ref, "fabric8 cannot use context " + context + ": " + e.getMessage());
    }
    return new KubernetesClientBuilder().withConfig(config).build();
  }

  /** The context to use: the configured one, which must exist, or the file's current-context. */
  private static String context(String cluster, ClusterRef ref, io.fabric8.kubernetes.api.model.Config parsed) {
    List<String> names =
        parsed == null || parsed.getContexts() == null
            ? List.of()
            : parsed.getContexts().stream().map(NamedContext::getName).filter(Objects::nonNull).toList();
    String wanted = ref.context() != null ? ref.context() : parsed == null ? null : parsed.getCurrentContext();
    if (wanted == null || wanted.isBlank()) {
      throw refused(
          cluster, ref, "no context given and the file has no current-context; contexts in the file: " + names);
    }
    if (!names.contains(wanted)) {
      throw refused(cluster, ref, "the file has no context " + wanted + "; contexts in the file: " + names);
    }
    return wanted;
  }

  /** Where a cluster comes from, as messages name it. */
  static String describe(String cluster, ClusterRef ref) {
    return "cluster "
        + cluster
        + " (kubeconfig "
        + ref.kubeconfig()
        + ", context "
        + (ref.context() == null ? "<current-context>" : ref.context())
        + ")";
  }

  static EnvironmentUnavailableException refused(String cluster, ClusterRef ref, String why) {
    return new EnvironmentUnavailableException(describe(cluster, ref) + ": " + why);
  }
}
