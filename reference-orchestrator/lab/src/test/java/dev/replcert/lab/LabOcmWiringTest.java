package dev.replcert.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.replcert.lab.substrate.ocm.OcmHub;
import dev.replcert.lab.substrate.ocm.OcmTiming;
import io.fabric8.kubernetes.api.model.Condition;
import io.open_cluster_management.cluster.v1.ManagedCluster;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The lab's OCM over the lab's own API servers (their clients fail at once while a site is down):
 * the one-line wiring LabEnvironment will use, and a cluster going Unknown and back.
 */
class LabOcmWiringTest {

  @Test
  void aStoppedLabClusterGoesUnknownOnTheHubAndComesBack() {
    List<LabApiServer> servers = new ArrayList<>();
    LabCrds crds = LabCrds.fromClasspath(getClass().getClassLoader());
    try {
      Map<String, LabApiServer> clusters = new LinkedHashMap<>();
      for (String name : List.of("hub", "east", "west")) {
        LabApiServer server = LabApiServer.start(name);
        servers.add(server);
        crds.registerIn(server.client());
        clusters.put(name, server);
      }
      try (OcmHub ocm =
          new OcmHub(
              clusters.get("hub").client(),
              Map.of("east", clusters.get("east").client(), "west", clusters.get("west").client()),
              OcmTiming.lab())) {
        ocm.start();
        awaitAvailable(clusters.get("hub"), "east", "True");

        clusters.get("east").stop();
        awaitAvailable(clusters.get("hub"), "east", "Unknown");
        awaitAvailable(clusters.get("hub"), "west", "True");

        clusters.get("east").start();
        awaitAvailable(clusters.get("hub"), "east", "True");
      }
    } finally {
      servers.forEach(LabApiServer::close);
    }
  }

  private static void awaitAvailable(LabApiServer hub, String cluster, String status) {
    await(cluster + " ManagedClusterConditionAvailable " + status)
        .atMost(Duration.ofSeconds(15))
        .pollInterval(Duration.ofMillis(100))
        .untilAsserted(() -> {
          ManagedCluster managed = hub.client().resources(ManagedCluster.class).withName(cluster).get();
          assertThat(managed).isNotNull();
          assertThat(managed.getStatus()).isNotNull();
          assertThat(managed.getStatus().getConditions())
              .filteredOn(c -> "ManagedClusterConditionAvailable".equals(c.getType()))
              .extracting(Condition::getStatus)
              .containsExactly(status);
        });
  }
}
