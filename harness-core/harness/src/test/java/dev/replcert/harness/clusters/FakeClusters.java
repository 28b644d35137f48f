package dev.replcert.harness.clusters;

import io.fabric8.kubernetes.api.model.ConfigBuilder;
import io.fabric8.kubernetes.client.internal.KubeConfigUtils;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * CRUD mock API servers standing in for real clusters, and the kubeconfig a vendor would hand over
 * for them: one context {@code <name>-admin} per cluster, each with its own bearer token.
 */
final class FakeClusters implements AutoCloseable {

  static final String TOKEN_PREFIX = "token-of-";

  private final Map<String, KubernetesMockServer> servers = new LinkedHashMap<>();

  FakeClusters(String... names) {
    try {
      for (String name : names) {
        KubernetesMockServer server =
            new KubernetesMockServer(
                new Context(Serialization.jsonMapper()),
                new MockWebServer(),
                new HashMap<>(),
                new KubernetesMixedDispatcher(new HashMap<>()),
                false);
        servers.put(name, server);
        server.init(InetAddress.getLoopbackAddress(), 0);
      }
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  String url(String name) {
    return "http://127.0.0.1:" + servers.get(name).getPort();
  }

  /** The client the test uses to look at a cluster behind the environment's back. */
  io.fabric8.kubernetes.client.KubernetesClient direct(String name) {
    return servers.get(name).createClient();
  }

  /** Stops one cluster: its port refuses connections from now on. */
  void stop(String name) {
    servers.remove(name).destroy();
  }

  /** A kubeconfig with one context per url given ({@code context -> server url}). */
  static Path kubeconfig(Path file, Map<String, String> contexts) {
    ConfigBuilder config = new ConfigBuilder().withApiVersion("v1").withKind("Config");
    contexts.forEach(
        (context, url) ->
            config
                .addNewCluster()
                .withName(context)
                .withNewCluster()
                .withServer(url)
                .endCluster()
                .endCluster()
                .addNewUser()
                .withName(context)
                .withNewUser()
                .withToken(TOKEN_PREFIX + context)
                .endUser()
                .endUser()
                .addNewContext()
                .withName(context)
                .withNewContext()
                .withCluster(context)
                .withUser(context)
                .withNamespace("default")
                .endContext()
                .endContext());
    try {
      KubeConfigUtils.persistKubeConfigIntoFile(config.build(), file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return file;
  }

  @Override
  public void close() {
    servers.values().forEach(KubernetesMockServer::destroy);
    servers.clear();
  }
}
