package dev.replcert.lab;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The lab's three API servers: separate stores, CRUD on each, restart on the same port. */
class LabClustersTest {

  private static LabApiServer hub;
  private static LabApiServer east;
  private static LabApiServer west;

  @BeforeAll
  static void startClusters() {
    hub = LabApiServer.start("hub");
    east = LabApiServer.start("east");
    west = LabApiServer.start("west");
  }

  @AfterAll
  static void stopClusters() {
    for (LabApiServer server : new LabApiServer[] {hub, east, west}) {
      if (server != null) {
        server.close();
      }
    }
  }

  @Test
  void eachClusterHasItsOwnPortAndStore() {
    assertThat(List.of(hub.port(), east.port(), west.port())).doesNotHaveDuplicates();

    create(east.client(), "ns-east", "only-on-east", Map.of("site", "east"));

    assertThat(east.client().configMaps().inNamespace("ns-east").withName("only-on-east").get())
        .isNotNull();
    assertThat(west.client().configMaps().inNamespace("ns-east").withName("only-on-east").get())
        .isNull();
    assertThat(hub.client().configMaps().inAnyNamespace().list().getItems()).isEmpty();
  }

  @Test
  void createReadUpdateDeleteOnEveryCluster() {
    for (LabApiServer cluster : List.of(hub, east, west)) {
      KubernetesClient client = cluster.client();
      String ns = "crud-" + cluster.name();
      create(client, ns, "cm", Map.of("k", "v1"));

      ConfigMap edited =
          client.configMaps().inNamespace(ns).withName("cm").edit(cm -> new ConfigMapBuilder(cm).addToData("k", "v2").build());

      assertThat(edited.getData()).containsEntry("k", "v2");
      assertThat(client.configMaps().inNamespace(ns).list().getItems()).hasSize(1);
      client.configMaps().inNamespace(ns).withName("cm").delete();
      assertThat(client.configMaps().inNamespace(ns).withName("cm").get()).isNull();
    }
  }

  @Test
  void aStoppedClusterComesBackOnTheSamePortWithItsObjects() {
    LabApiServer cluster = LabApiServer.start("restart");
    try {
      int port = cluster.port();
      create(cluster.client(), "keep", "kept", Map.of("n", "1"));

      cluster.stop();
      assertThat(cluster.isDown()).isTrue();
      cluster.start();

      assertThat(cluster.isDown()).isFalse();
      assertThat(cluster.port()).isEqualTo(port);
      assertThat(cluster.client().configMaps().inNamespace("keep").withName("kept").get().getData())
          .containsEntry("n", "1");
      create(cluster.client(), "keep", "after-restart", Map.of());
      assertThat(cluster.client().configMaps().inNamespace("keep").list().getItems()).hasSize(2);
    } finally {
      cluster.close();
    }
  }

  static void create(KubernetesClient client, String namespace, String name, Map<String, String> data) {
    if (client.namespaces().withName(namespace).get() == null) {
      client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build()).create();
    }
    client
        .configMaps()
        .inNamespace(namespace)
        .resource(new ConfigMapBuilder().withNewMetadata().withName(name).endMetadata().withData(data).build())
        .create();
  }
}
