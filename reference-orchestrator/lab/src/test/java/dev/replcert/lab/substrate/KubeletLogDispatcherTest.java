package dev.replcert.lab.substrate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.replcert.lab.substrate.kubelet.PodLogDispatcher;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
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

  @Test
  void servesTheKubeletsLogWithTailLines() {
    Map<String, String> logs = Map.of("ns/writer", "one\ntwo\nthree\n");
    dispatcher.attach((ns, name) -> Optional.ofNullable(logs.get(ns + "/" + name)));

    assertThat(client.pods().inNamespace("ns").withName("writer").getLog())
        .isEqualTo("one\ntwo\nthree\n");
    assertThat(
            client
                .pods()
                .inNamespace("ns")
                .withName("writer")
                .inContainer("workload")
                .tailingLines(2)
                .getLog())
        .isEqualTo("two\nthree\n");
  }

  @Test
  void aPodTheKubeletDoesNotRunHasAnEmptyLogAndAMissingPodNone() {
    assertThat(client.pods().inNamespace("ns").withName("other").getLog()).isEmpty();
    assertThatThrownBy(() -> client.pods().inNamespace("ns").withName("missing").getLog())
        .isInstanceOfSatisfying(
            KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(404));
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
