package dev.replcert.lab;

import static org.awaitility.Awaitility.await;

import dev.replcert.api.k8s.Ramen;
import dev.replcert.harness.spi.Environment;
import dev.replcert.refdriver.DriverOptions;
import io.fabric8.kubernetes.api.model.storage.StorageClassBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.openshift.ramendr.v1alpha1.DRCluster;
import io.openshift.ramendr.v1alpha1.DRClusterConfig;
import io.openshift.ramendr.v1alpha1.DRPolicy;
import io.openshift.ramendr.v1alpha1.drpolicystatus.async.PeerClasses;
import io.openshift.storage.replication.v1alpha1.VolumeReplicationClass;
import io.openshift.storage.replication.v1alpha1.VolumeReplicationClassSpec;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;

/**
 * A DRPolicy's peer classes as Ramen derives them, end to end in the lab: each cluster's
 * DRClusterConfig (delivered by the hub) lists its labelled classes, the hub reads them through
 * views and pairs the StorageClass of two storages sharing a replication id.
 */
class LabPeerClassesTest {

  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  @Test
  void aStorageClassPairedByACommonReplicationIdBecomesTheAsyncPeerClassAndLeavesWithIt() {
    try (Environment lab = LabEnvironmentTest.start(Map.of())) {
      KubernetesClient hub = lab.client(KubernetesClient.class, Optional.of("hub")).orElseThrow();
      for (String site : LabEnvironment.SITES) {
        KubernetesClient cluster = lab.client(KubernetesClient.class, Optional.of(site)).orElseThrow();
        cluster.storage().v1().storageClasses().resource(new StorageClassBuilder()
            .withNewMetadata().withName("rbd").withLabels(Map.of(Ramen.STORAGE_ID_LABEL, site + "-pool")).endMetadata()
            .withProvisioner(DriverOptions.DRIVER_NAME).build()).create();
        cluster.resource(replicationClass("rbd-1m", site + "-pool", "mirror-1")).create();
        cluster.resource(replicationClass("rbd-5m", site + "-pool", "mirror-1", "5m")).create();
      }
      for (String site : LabEnvironment.SITES) {
        hub.resource(SERIALIZATION.unmarshal("""
            apiVersion: ramendr.openshift.io/v1alpha1
            kind: DRCluster
            metadata: {name: %1$s}
            spec: {s3ProfileName: s3-%1$s}
            """.formatted(site), DRCluster.class)).create();
      }
      hub.resource(SERIALIZATION.unmarshal("""
          apiVersion: ramendr.openshift.io/v1alpha1
          kind: DRPolicy
          metadata: {name: dr-1m}
          spec: {drClusters: [east, west], schedulingInterval: 1m}
          """, DRPolicy.class)).create();

      KubernetesClient east = lab.client(KubernetesClient.class, Optional.of("east")).orElseThrow();
      AtomicReference<String> seen = new AtomicReference<>();
      check("east's DRClusterConfig lists its labelled classes", seen, () -> {
        DRClusterConfig config = east.resources(DRClusterConfig.class).withName("east").get();
        seen.set(config == null ? "no DRClusterConfig on east" : SERIALIZATION.asJson(config));
        return config != null && "east".equals(config.getSpec().getClusterID()) && config.getStatus() != null
            && List.of("rbd").equals(config.getStatus().getStorageClasses())
            && List.of("rbd-1m", "rbd-5m").equals(config.getStatus().getVolumeReplicationClasses());
      });
      check("the DRPolicy lists rbd as its one async peer class (east-pool/west-pool, mirror-1)", seen, () -> {
        List<PeerClasses> peers = asyncPeers(hub);
        seen.set(SERIALIZATION.asJson(hub.resources(DRPolicy.class).withName("dr-1m").get().getStatus()));
        return peers.size() == 1
            && "rbd".equals(peers.get(0).getStorageClassName())
            && List.of("east-pool", "west-pool").equals(peers.get(0).getStorageID())
            && List.of("east", "west").equals(peers.get(0).getClusterIDs())
            && "mirror-1".equals(peers.get(0).getReplicationID());
      });

      // west's 1m class now replicates to another peer: no common replication id at 1m is left
      KubernetesClient west = lab.client(KubernetesClient.class, Optional.of("west")).orElseThrow();
      west.resources(VolumeReplicationClass.class).withName("rbd-1m").edit(c -> {
        c.getMetadata().setLabels(Map.of(Ramen.STORAGE_ID_LABEL, "west-pool", Ramen.REPLICATION_ID_LABEL, "mirror-2"));
        return c;
      });
      check("the DRPolicy drops the rbd peer class", seen, () -> {
        List<PeerClasses> peers = asyncPeers(hub);
        seen.set(SERIALIZATION.asJson(hub.resources(DRPolicy.class).withName("dr-1m").get().getStatus()));
        return peers.isEmpty();
      });
    }
  }

  private static List<PeerClasses> asyncPeers(KubernetesClient hub) {
    DRPolicy policy = hub.resources(DRPolicy.class).withName("dr-1m").get();
    return policy == null || policy.getStatus() == null || policy.getStatus().getAsync() == null
        || policy.getStatus().getAsync().getPeerClasses() == null
        ? List.of() : policy.getStatus().getAsync().getPeerClasses();
  }

  private static VolumeReplicationClass replicationClass(String name, String storageId, String replicationId) {
    return replicationClass(name, storageId, replicationId, "1m");
  }

  private static VolumeReplicationClass replicationClass(
      String name, String storageId, String replicationId, String schedule) {
    VolumeReplicationClass vrc = new VolumeReplicationClass();
    vrc.getMetadata().setName(name);
    vrc.getMetadata().setLabels(Map.of(Ramen.STORAGE_ID_LABEL, storageId, Ramen.REPLICATION_ID_LABEL, replicationId));
    VolumeReplicationClassSpec spec = new VolumeReplicationClassSpec();
    spec.setProvisioner(DriverOptions.DRIVER_NAME);
    spec.setParameters(Map.of("schedulingInterval", schedule));
    vrc.setSpec(spec);
    return vrc;
  }

  private static void check(String what, AtomicReference<String> seen, Callable<Boolean> condition) {
    try {
      await(what).atMost(WAIT).pollInterval(Duration.ofMillis(250)).until(condition);
    } catch (ConditionTimeoutException e) {
      throw new AssertionError(what + "; last seen: " + seen.get(), e);
    }
  }
}
