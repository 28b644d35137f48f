package dev.replcert.orchestrator.testing;

import static org.awaitility.Awaitility.await;

import dev.replcert.api.k8s.CrdCatalog;
import dev.replcert.mockapi.FinalizedDeleteDispatcher;
import dev.replcert.mockapi.WatchCloseDispatcher;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.time.Duration;
import java.util.HashMap;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.awaitility.core.ConditionFactory;

/** A fabric8 CRUD mock API server with the catalogued CRDs, and the tests' named waits. */
public final class MockApi {

  /** Generous: a 2-core machine shared by several builds answers in seconds, not milliseconds. */
  public static final Duration WAIT_LIMIT = Duration.ofSeconds(60);

  private static final Logger MOCK_LOG = quiet();

  private MockApi() {}

  /** A started server with every CRD of the catalogue installed. */
  public static KubernetesMockServer server() {
    KubernetesMockServer server =
        new KubernetesMockServer(
            new Context(),
            new MockWebServer(),
            new HashMap<>(),
            new WatchCloseDispatcher(new FinalizedDeleteDispatcher(new KubernetesCrudDispatcher()), "mock"),
            false);
    server.init();
    try (KubernetesClient client = server.createClient()) {
      for (CrdCatalog.Entry entry : CrdCatalog.all()) {
        client
            .apiextensions()
            .v1()
            .customResourceDefinitions()
            .resource(CrdCatalog.definition(entry))
            .create();
      }
    }
    return server;
  }

  public static void namespace(KubernetesClient client, String name) {
    client
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())
        .create();
  }

  /** The Secret of the site's S3 profile, with its keys, as Ramen expects it. */
  public static void s3Secret(KubernetesClient client, S3Site site) {
    client
        .secrets()
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName(site.profile().secretName())
                .withNamespace(S3Site.SECRET_NAMESPACE)
                .endMetadata()
                .addToStringData("AWS_ACCESS_KEY_ID", site.accessKey)
                .addToStringData("AWS_SECRET_ACCESS_KEY", site.secretKey)
                .build())
        .create();
  }

  /** A named wait that, on timeout, shows what it last saw. */
  public static ConditionFactory waitFor(String what) {
    return await(what).atMost(WAIT_LIMIT).pollInterval(Duration.ofMillis(100));
  }

  /**
   * Waits until {@code assertion} holds on what {@code read} returns; the timeout shows the last
   * failure.
   */
  public static <T> T until(String what, Callable<T> read, Consumer<T> assertion) {
    AtomicReference<T> seen = new AtomicReference<>();
    waitFor(what)
        .untilAsserted(
            () -> {
              T value = read.call();
              seen.set(value);
              assertion.accept(value);
            });
    return seen.get();
  }

  /**
   * Checks that {@code assertion} holds on what {@code read} returns at every poll for {@code
   * during}: for what must stay as it is (a step held, nothing written). The first break fails at
   * once, saying when and what was read.
   */
  public static <T> void holds(String what, Duration during, Callable<T> read, Consumer<T> assertion) {
    long start = System.nanoTime();
    await(what)
        .atMost(during.plusSeconds(2))
        .pollDelay(Duration.ZERO)
        .pollInterval(Duration.ofMillis(100))
        .until(
            () -> {
              T value = read.call();
              try {
                assertion.accept(value);
              } catch (AssertionError e) {
                throw new AssertionError(
                    what + ": broken after " + (System.nanoTime() - start) / 1_000_000 + " ms of "
                        + during.toMillis() + ": " + e.getMessage(), e);
              }
              return System.nanoTime() - start >= during.toNanos();
            });
  }

  private static Logger quiet() {
    Logger log = Logger.getLogger(MockWebServer.class.getName());
    log.setLevel(Level.WARNING);
    return log;
  }
}
