package dev.replcert.lab.substrate.ocm;

import dev.replcert.api.k8s.CrdCatalog;
import dev.replcert.mockapi.FinalizedDeleteDispatcher;
import dev.replcert.mockapi.WatchCloseDispatcher;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.Queue;

/**
 * A CRUD mock API server with every CRD of the api module registered, that can stop answering and
 * answer again on the same port with its objects intact (the store lives in the dispatcher), the
 * way the lab's site disaster treats a cluster.
 */
final class MockCluster implements AutoCloseable {

  // the mock logs every request at INFO through java.util.logging (held: JUL keeps loggers weakly)
  private static final java.util.logging.Logger MOCK_LOG = quietMockLog();

  private final String name;
  private final Context context = new Context(Serialization.jsonMapper());
  private final Map<ServerRequest, Queue<ServerResponse>> responses = new HashMap<>();
  private final KubernetesMixedDispatcher dispatcher = new KubernetesMixedDispatcher(responses);
  private final int port;
  private final KubernetesClient client;
  private KubernetesMockServer server;

  MockCluster(String name) {
    this.name = name;
    server = newServer();
    server.init(InetAddress.getLoopbackAddress(), 0);
    port = server.getPort();
    Config config =
        new ConfigBuilder(Config.empty())
            .withMasterUrl("http://127.0.0.1:" + port + "/")
            .withNamespace("default")
            .withHttp2Disable(true)
            .withRequestRetryBackoffLimit(0)
            .withConnectionTimeout(1000)
            .withRequestTimeout(5000)
            .build();
    client = new KubernetesClientBuilder().withConfig(config).build();
    for (CrdCatalog.Entry entry : CrdCatalog.all()) {
      client.apiextensions().v1().customResourceDefinitions().resource(CrdCatalog.definition(entry)).create();
    }
  }

  KubernetesClient client() {
    return client;
  }

  synchronized void stop() {
    if (server != null) {
      server.destroy();
      server = null;
    }
  }

  synchronized void start() {
    if (server == null) {
      responses.clear();
      server = newServer();
      server.init(InetAddress.getLoopbackAddress(), port);
    }
  }

  private static java.util.logging.Logger quietMockLog() {
    java.util.logging.Logger log = java.util.logging.Logger.getLogger(MockWebServer.class.getName());
    log.setLevel(java.util.logging.Level.WARNING);
    return log;
  }

  private KubernetesMockServer newServer() {
    return new KubernetesMockServer(
        context, new MockWebServer(), responses, new WatchCloseDispatcher(new FinalizedDeleteDispatcher(dispatcher), name), false);
  }

  @Override
  public void close() {
    try {
      client.close();
    } finally {
      stop();
    }
  }

  @Override
  public String toString() {
    return "mock cluster " + name + " on port " + port;
  }
}
