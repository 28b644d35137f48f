package dev.replcert.lab;

import dev.replcert.lab.substrate.kubelet.PodLogDispatcher;
import dev.replcert.mockapi.FinalizedDeleteDispatcher;
import dev.replcert.mockapi.WatchCloseDispatcher;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor.RequestTags;
import io.fabric8.kubernetes.client.http.Interceptor;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import java.net.InetAddress;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Queue;

/**
 * One cluster of the lab ({@code hub}, {@code east} or {@code west}): a fabric8 {@link
 * KubernetesMockServer} in CRUD mode on plain http at 127.0.0.1, and the lab's client to it.
 *
 * <p>The server can be stopped and started again on the same port with every object intact: the
 * store lives in the dispatcher, which outlives the web server. fabric8's {@link MockWebServer}
 * cannot start twice (its Vert.x instance is closed on shutdown), so a start after a stop builds a
 * new web server on the same port around the same dispatcher. The client is built once against
 * that port; it does not retry and times out quickly, so a request to a downed cluster fails at
 * once, naming the cluster, instead of hanging.
 */
final class LabApiServer implements AutoCloseable {

  /** How long the client waits to connect; a downed cluster refuses at once, this is the cap. */
  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);

  /** How long the client waits for an answer (the mock answers in milliseconds). */
  static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

  // The mock logs every request at INFO through java.util.logging (held here: JUL keeps loggers
  // only weakly, and a collected logger forgets its level).
  private static final java.util.logging.Logger MOCK_LOG = quietMockLog();

  private final String name;
  private final Context context = new Context(Serialization.jsonMapper());
  // discovery (/, /version) expectations; CRUD requests fall through to the dispatcher's store
  private final Map<ServerRequest, Queue<ServerResponse>> responses = new HashMap<>();
  private final KubernetesMixedDispatcher dispatcher = new KubernetesMixedDispatcher(responses);
  // pods/<name>/log is the kubelet's to answer, as on a real cluster; the CRUD store has no logs
  private final PodLogDispatcher podLogs = new PodLogDispatcher(dispatcher);
  private final int port;
  private final KubernetesClient client;
  private KubernetesMockServer server;
  // while down, the port is held so that no other lab in the JVM takes it
  private java.util.Optional<PortHold> held = java.util.Optional.empty();

  private LabApiServer(String name) {
    this.name = name;
    this.server = newServer();
    server.init(InetAddress.getLoopbackAddress(), 0);
    this.port = server.getPort();
    try {
      this.client = newClient(port);
    } catch (RuntimeException e) {
      server.destroy();
      throw e;
    }
  }

  /** Starts the cluster's API server on a free port of 127.0.0.1. */
  static LabApiServer start(String name) {
    return new LabApiServer(name);
  }

  String name() {
    return name;
  }

  int port() {
    return port;
  }

  /** {@code http://127.0.0.1:<port>/}, the same across stop and start. */
  String url() {
    return "http://127.0.0.1:" + port + "/";
  }

  /** The lab's client of this cluster; it stays valid across stop and start. */
  KubernetesClient client() {
    return client;
  }

  /** Where this cluster's kubelet attaches the pod logs it serves. */
  PodLogDispatcher podLogs() {
    return podLogs;
  }

  synchronized boolean isDown() {
    return server == null;
  }

  /** Stops answering: the port refuses connections (held, see {@link PortHold}), the objects stay in the store. */
  synchronized void stop() {
    if (server != null) {
      KubernetesMockServer stopping = server;
      server = null;
      stopping.destroy();
      held = PortHold.tryOn(port, this);
    }
  }

  /** Answers again on the same port, with every object it had when stopped. */
  synchronized void start() {
    if (server == null) {
      // onStart registers the discovery expectations again
      responses.clear();
      release();
      KubernetesMockServer restarted = newServer();
      try {
        restarted.init(InetAddress.getLoopbackAddress(), port);
      } catch (RuntimeException e) {
        restarted.destroy();
        throw new IllegalStateException(
            "lab cluster " + name + " cannot listen again on 127.0.0.1:" + port, e);
      }
      server = restarted;
    }
  }

  private void release() {
    held.ifPresent(PortHold::close);
    held = java.util.Optional.empty();
  }

  private static java.util.logging.Logger quietMockLog() {
    java.util.logging.Logger log = java.util.logging.Logger.getLogger(MockWebServer.class.getName());
    log.setLevel(java.util.logging.Level.WARNING);
    return log;
  }

  private KubernetesMockServer newServer() {
    return new KubernetesMockServer(
        context, new MockWebServer(), responses, new WatchCloseDispatcher(new FinalizedDeleteDispatcher(podLogs), name), false);
  }

  private KubernetesClient newClient(int port) {
    Config config =
        new ConfigBuilder(Config.empty())
            .withMasterUrl("http://127.0.0.1:" + port + "/")
            .withNamespace("default")
            .withHttp2Disable(true)
            .withRequestRetryBackoffLimit(0)
            .withConnectionTimeout((int) CONNECT_TIMEOUT.toMillis())
            .withRequestTimeout((int) REQUEST_TIMEOUT.toMillis())
            .build();
    return new KubernetesClientBuilder()
        .withConfig(config)
        .withHttpClientBuilderConsumer(b -> b.addOrReplaceInterceptor("replcert-lab-down", new Down()))
        .build();
  }

  /**
   * While the cluster is down its port refuses connections; the request would fail the same way,
   * this only says why, naming the cluster (a bare "Connection refused" names nothing).
   */
  private final class Down implements Interceptor {
    @Override
    public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
      if (isDown()) {
        throw new KubernetesClientException(
            "lab cluster "
                + name
                + " is down (its site was taken down by the lab's disaster injector): "
                + request.method()
                + " "
                + request.uri()
                + " refused");
      }
    }
  }

  @Override
  public synchronized void close() {
    try {
      client.close();
    } finally {
      try {
        stop();
      } finally {
        release(); // the lab is gone: nothing comes back on this port
      }
    }
  }

  @Override
  public String toString() {
    return "lab cluster " + name + " at " + url();
  }
}
