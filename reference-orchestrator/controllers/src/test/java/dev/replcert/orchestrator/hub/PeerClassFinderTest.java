package dev.replcert.orchestrator.hub;

import static org.assertj.core.api.Assertions.assertThat;

import dev.replcert.api.k8s.Ramen;
import dev.replcert.orchestrator.hub.PeerClassFinder.ClusterClasses;
import dev.replcert.orchestrator.hub.PeerClassFinder.Peer;
import dev.replcert.orchestrator.hub.PeerClassFinder.Peers;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import io.fabric8.kubernetes.api.model.storage.StorageClassBuilder;
import io.k8s.storage.snapshot.v1.VolumeSnapshotClass;
import io.openshift.storage.replication.v1alpha1.VolumeGroupReplicationClass;
import io.openshift.storage.replication.v1alpha1.VolumeGroupReplicationClassSpec;
import io.openshift.storage.replication.v1alpha1.VolumeReplicationClass;
import io.openshift.storage.replication.v1alpha1.VolumeReplicationClassSpec;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PeerClassFinderTest {

  private static final String DRIVER = "refdriver.replcert.dev";

  @Test
  void differentStoragesWithACommonReplicationIdAndTheScheduleAreAnAsyncPeer() {
    Peers peers = PeerClassFinder.find(List.of(
        cluster("id-east", sc("rbd", "east-1"), vrc("east-1", "r1", "1m")),
        cluster("id-west", sc("rbd", "west-1"), vrc("west-1", "r1", "1m"))), "1m");

    assertThat(peers.sync()).isEmpty();
    assertThat(peers.async()).containsExactly(
        new Peer("rbd", List.of("east-1", "west-1"), List.of("id-east", "id-west"), "r1", false, false));
  }

  @Test
  void oneStorageOnBothClustersIsASyncPeerAndNeverAsync() {
    Peers peers = PeerClassFinder.find(List.of(
        cluster("id-east", sc("rbd", "stretched"), vrc("stretched", "r1", "1m")),
        cluster("id-west", sc("rbd", "stretched"), vrc("stretched", "r1", "1m"))), "1m");

    assertThat(peers.sync()).containsExactly(
        new Peer("rbd", List.of("stretched"), List.of("id-east", "id-west"), "", false, false));
    assertThat(peers.async()).isEmpty();
  }

  @Test
  void aReplicationClassOfAnotherScheduleOrProvisionerOrStorageDoesNotPair() {
    var east = sc("rbd", "east-1");
    var west = sc("rbd", "west-1");
    assertThat(PeerClassFinder.find(List.of(cluster("e", east, vrc("east-1", "r1", "5m")),
        cluster("w", west, vrc("west-1", "r1", "5m"))), "1m").async()).as("schedule").isEmpty();
    VolumeReplicationClass otherDriver = vrc("west-1", "r1", "1m");
    otherDriver.getSpec().setProvisioner("other.driver");
    assertThat(PeerClassFinder.find(List.of(cluster("e", east, vrc("east-1", "r1", "1m")),
        cluster("w", west, otherDriver)), "1m").async()).as("provisioner").isEmpty();
    assertThat(PeerClassFinder.find(List.of(cluster("e", east, vrc("east-1", "r1", "1m")),
        cluster("w", west, vrc("east-1", "r1", "1m"))), "1m").async()).as("the other storage's class").isEmpty();
    assertThat(PeerClassFinder.find(List.of(cluster("e", east, vrc("east-1", "r1", "1m")),
        cluster("w", west, vrc("west-1", "r2", "1m"))), "1m").async()).as("replication ids differ").isEmpty();
    assertThat(PeerClassFinder.find(List.of(cluster("e", east, vrc("east-1", "r1", "1m")),
        cluster("w", west, vrc("west-1", "r1", "1m"))), "").async()).as("Metro policy").isEmpty();
  }

  @Test
  void withoutACommonReplicationIdSnapshotClassesOfBothStoragesMakeAPeerWithoutReplication() {
    ClusterClasses east = cluster("e", sc("cephfs", "east-fs"), vrc("east-fs", "r1", "1m"));
    ClusterClasses west = cluster("w", sc("cephfs", "west-fs"), vrc("west-fs", "r2", "1m"));
    east.snapshotClasses().add(vsc("east-fs"));
    west.snapshotClasses().add(vsc("west-fs"));

    assertThat(PeerClassFinder.find(List.of(east, west), "1m").async()).containsExactly(
        new Peer("cephfs", List.of("east-fs", "west-fs"), List.of("e", "w"), "", false, false));
  }

  @Test
  void groupReplicationClassesSharingTheReplicationIdMakeThePeerGrouping() {
    ClusterClasses east = cluster("e", sc("rbd", "east-1"), vrc("east-1", "r1", "1m"));
    ClusterClasses west = cluster("w", sc("rbd", "west-1"), vrc("west-1", "r1", "1m"));
    east.groupReplicationClasses().add(vgrc("east-1", "r1", "1m"));
    west.groupReplicationClasses().add(vgrc("west-1", "r1", "1m"));

    assertThat(PeerClassFinder.find(List.of(east, west), "1m").async())
        .extracting(Peer::grouping).containsExactly(true);
  }

  @Test
  void anOffloadedStoragePairsOnlyWithAnOffloadedOneAndNeedsGroupClasses() {
    StorageClass offloaded = sc("rbd", "east-1");
    offloaded.getMetadata().getLabels().put(PeerClassFinder.OFFLOADED_LABEL, "");
    ClusterClasses east = cluster("e", offloaded, vrc("east-1", "r1", "1m"));
    ClusterClasses west = cluster("w", sc("rbd", "west-1"), vrc("west-1", "r1", "1m"));
    assertThat(PeerClassFinder.find(List.of(east, west), "1m").async()).as("one side offloaded").isEmpty();

    StorageClass offloadedToo = sc("rbd", "west-1");
    offloadedToo.getMetadata().getLabels().put(PeerClassFinder.OFFLOADED_LABEL, "");
    west = cluster("w", offloadedToo, vrc("west-1", "r1", "1m"));
    assertThat(PeerClassFinder.find(List.of(east, west), "1m").async()).as("no group classes").isEmpty();
    east.groupReplicationClasses().add(vgrc("east-1", "g1", "1m"));
    west.groupReplicationClasses().add(vgrc("west-1", "g1", "1m"));
    assertThat(PeerClassFinder.find(List.of(east, west), "1m").async()).containsExactly(
        new Peer("rbd", List.of("east-1", "west-1"), List.of("e", "w"), "g1", true, true));
  }

  @Test
  void aStorageClassWithoutStorageIdOrMissingOnThePeerIsNoPeer() {
    StorageClass unlabelled = new StorageClassBuilder().withNewMetadata().withName("rbd").endMetadata()
        .withProvisioner(DRIVER).build();
    assertThat(PeerClassFinder.find(List.of(cluster("e", unlabelled, vrc("east-1", "r1", "1m")),
        cluster("w", sc("rbd", "west-1"), vrc("west-1", "r1", "1m"))), "1m")).isEqualTo(new Peers(List.of(), List.of()));
    assertThat(PeerClassFinder.find(List.of(cluster("e", sc("rbd", "east-1"), vrc("east-1", "r1", "1m")),
        cluster("w", sc("other", "west-1"), vrc("west-1", "r1", "1m"))), "1m")).isEqualTo(new Peers(List.of(), List.of()));
  }

  private static ClusterClasses cluster(String id, StorageClass sc, VolumeReplicationClass vrc) {
    return new ClusterClasses(id, new java.util.ArrayList<>(List.of(sc)), new java.util.ArrayList<>(),
        new java.util.ArrayList<>(List.of(vrc)), new java.util.ArrayList<>());
  }

  private static StorageClass sc(String name, String storageId) {
    return new StorageClassBuilder().withNewMetadata().withName(name)
        .withLabels(new HashMap<>(Map.of(Ramen.STORAGE_ID_LABEL, storageId))).endMetadata()
        .withProvisioner(DRIVER).build();
  }

  private static VolumeReplicationClass vrc(String storageId, String replicationId, String schedule) {
    VolumeReplicationClass vrc = new VolumeReplicationClass();
    vrc.getMetadata().setName("vrc-" + storageId);
    vrc.getMetadata().setLabels(Map.of(Ramen.STORAGE_ID_LABEL, storageId, Ramen.REPLICATION_ID_LABEL, replicationId));
    VolumeReplicationClassSpec spec = new VolumeReplicationClassSpec();
    spec.setProvisioner(DRIVER);
    spec.setParameters(Map.of(PeerClassFinder.SCHEDULE_PARAMETER, schedule));
    vrc.setSpec(spec);
    return vrc;
  }

  /** A group class with the same labels and parameters (the models differ only by kind). */
  private static VolumeGroupReplicationClass vgrc(String storageId, String replicationId, String schedule) {
    VolumeReplicationClass vrc = vrc(storageId, replicationId, schedule);
    VolumeGroupReplicationClass vgrc = new VolumeGroupReplicationClass();
    vgrc.getMetadata().setName("vgrc-" + storageId);
    vgrc.getMetadata().setLabels(vrc.getMetadata().getLabels());
    VolumeGroupReplicationClassSpec spec = new VolumeGroupReplicationClassSpec();
    spec.setProvisioner(vrc.getSpec().getProvisioner());
    spec.setParameters(vrc.getSpec().getParameters());
    vgrc.setSpec(spec);
    return vgrc;
  }

  private static VolumeSnapshotClass vsc(String storageId) {
    VolumeSnapshotClass vsc = new VolumeSnapshotClass();
    vsc.getMetadata().setName("vsc-" + storageId);
    vsc.getMetadata().setLabels(Map.of(Ramen.STORAGE_ID_LABEL, storageId));
    vsc.setDriver(DRIVER);
    return vsc;
  }
}
