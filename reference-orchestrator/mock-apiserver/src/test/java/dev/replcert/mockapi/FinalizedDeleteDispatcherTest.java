package dev.replcert.mockapi;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.Dispatcher;
import java.util.HashMap;
import java.util.List;
import org.junit.jupiter.api.Test;

class FinalizedDeleteDispatcherTest {

  @Test
  void removingTheLastFinalizerOfADeletedObjectAnswersTheObjectAndDeletesIt() {
    ConfigMap answer = removeLastFinalizer(new FinalizedDeleteDispatcher(new KubernetesCrudDispatcher()));

    assertThat(answer).as("the write's answer").isNotNull();
    assertThat(answer.getMetadata().getName()).isEqualTo("guarded");
    assertThat(answer.getMetadata().getDeletionTimestamp()).as("deletion timestamp").isNotNull();
    assertThat(answer.getMetadata().getFinalizers()).as("finalizers").isNullOrEmpty();
  }

  @Test
  void fabric8sOwnDispatcherAnswersNothing() {
    // what the class above exists for; should fabric8 change this, the class can go
    assertThat(removeLastFinalizer(new KubernetesCrudDispatcher())).isNull();
  }

  /** Creates a finalized ConfigMap, deletes it, removes its finalizer; the patch's answer. */
  private static ConfigMap removeLastFinalizer(Dispatcher dispatcher) {
    KubernetesMockServer server =
        new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), dispatcher, false);
    server.init();
    try (KubernetesClient client = server.createClient()) {
      var configMaps = client.configMaps().inNamespace("default");
      configMaps.resource(
              new ConfigMapBuilder()
                  .withNewMetadata()
                  .withName("guarded")
                  .withFinalizers(List.of("example.com/guard"))
                  .endMetadata()
                  .build())
          .create();
      configMaps.withName("guarded").delete();
      assertThat(configMaps.withName("guarded").get().getMetadata().getDeletionTimestamp())
          .as("a finalized object is only marked for deletion")
          .isNotNull();

      ConfigMap answer = configMaps.withName("guarded").edit(c -> {
        c.getMetadata().setFinalizers(List.of());
        return c;
      });

      assertThat(configMaps.withName("guarded").get()).as("the object after its last finalizer went").isNull();
      return answer;
    } finally {
      server.destroy();
    }
  }
}
