package dev.replcert.lab.substrate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.replcert.lab.substrate.kubelet.PodLogDispatcher;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The pod log hook in front of a CRUD mock of its own. */
class KubeletLogDispatcherTest {

  private static final java.util.logging.Logger MOCK_LOG =
      java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");

  static {
    MOCK_LOG.setLevel(java.util.logging.Level.WARNING);
  }

  private final PodLogDispatcher dispatcher = new PodLogDispatcher(new KubernetesCrudDispatcher());
  private KubernetesMockServer server;
  private KubernetesClient client;

  @BeforeEach
  void start() {
    server =
        new KubernetesMockServer(
            new Context(), new MockWebServer(), new HashMap<>(), dispatcher, false);
    server.init();
    client = server.createClient();
    client
        .pods()
        .inNamespace("ns")
        .resource(new PodBuilder().withNewMetadata().withName("writer").endMetadata().build())
        .create();
    client
        .pods()
        .inNamespace("ns")
        .resource(new PodBuilder().withNewMetadata().withName("other").endMetadata().build())
        .create();
  }

  @AfterEach
  void stop() {
    client.close();
    server.destroy();
  }

  // Plain GETs of the log endpoint, as PodWriterHandle reads it: fabric8's getLog() first watches
  // the pod until it is ready, and closing that watch can stall the mock's event loop.
  private String log(String pod, String query) {
    return client.raw(
        client.getMasterUrl().toString().replaceAll("/+$", "")
            + "/api/v1/namespaces/ns/pods/"
            + pod
            + "/log"
            + query);
  }

  @Test
  void servesTheKubeletsLogWithTailLines() {
    Map<String, String> logs = Map.of("ns/writer", "one\ntwo\nthree\n");
    dispatcher.attach((ns, name) -> Optional.ofNullable(logs.get(ns + "/" + name)));

    assertThat(log("writer", "")).isEqualTo("one\ntwo\nthree\n");
    assertThat(log("writer", "?container=workload&tailLines=2")).isEqualTo("two\nthree\n");
  }

  @Test
  void aPodTheKubeletDoesNotRunHasAnEmptyLogAndAMissingPodNone() {
    assertThat(log("other", "")).isEmpty();
    // raw() answers null for a 404
    assertThat(log("missing", "")).isNull();
  }

  @Test
  void everythingElseIsTheCrudMocks() {
    client
        .configMaps()
        .inNamespace("ns")
        .resource(
            new ConfigMapBuilder()
                .withNewMetadata()
                .withName("c")
                .endMetadata()
                .addToData("k", "v")
                .build())
        .create();

    assertThat(client.configMaps().inNamespace("ns").withName("c").get().getData())
        .containsEntry("k", "v");
    assertThat(client.pods().inNamespace("ns").list().getItems()).hasSize(2);
  }
}
