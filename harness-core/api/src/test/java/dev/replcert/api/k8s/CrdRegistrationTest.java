package dev.replcert.api.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import dev.replcert.api.k8s.CrdCatalog.Entry;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.k8s.storage.snapshot.v1.VolumeSnapshotClass;
import io.openshift.storage.replication.v1alpha1.VolumeReplication;
import io.openshift.storage.replication.v1alpha1.VolumeReplicationSpec;
import io.openshift.storage.replication.v1alpha1.VolumeReplicationStatus;
import io.openshift.storage.replication.v1alpha1.volumereplicationspec.DataSource;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What the lab does with the index: register every CRD in a CRUD mock API server and use it. */
@EnableKubernetesMockClient(crud = true)
class CrdRegistrationTest {

  KubernetesMockServer server;
  KubernetesClient client;

  @BeforeEach
  void registerTheCatalog() {
    for (Entry entry : CrdCatalog.all()) {
      client.apiextensions().v1().customResourceDefinitions().resource(CrdCatalog.definition(entry)).create();
    }
  }

  @Test
  void everyListedCrdIsRegisteredAndServed() throws Exception {
    List<CustomResourceDefinition> registered =
        client.apiextensions().v1().customResourceDefinitions().list().getItems();
    assertThat(registered)
        .extracting(crd -> crd.getMetadata().getName())
        .containsExactlyInAnyOrderElementsOf(CrdCatalog.all().stream().map(Entry::crdName).toList());
    for (Entry entry : CrdCatalog.all()) {
      @SuppressWarnings("unchecked")
      Class<? extends HasMetadata> type = (Class<? extends HasMetadata>) Class.forName(entry.modelClassName());
      assertThat(client.resources(type).inAnyNamespace().list().getItems()).as(entry.kind()).isEmpty();
    }
  }

  @Test
  void volumeReplicationStatusIsASubresource() {
    VolumeReplication vr = new VolumeReplication();
    vr.setMetadata(new ObjectMetaBuilder().withName("data").withNamespace("app").build());
    VolumeReplicationSpec spec = new VolumeReplicationSpec();
    spec.setVolumeReplicationClass("rbd-1m");
    spec.setReplicationState(VolumeReplicationSpec.ReplicationState.PRIMARY);
    DataSource source = new DataSource();
    source.setKind("PersistentVolumeClaim");
    source.setName("data");
    spec.setDataSource(source);
    vr.setSpec(spec);
    VolumeReplicationStatus status = new VolumeReplicationStatus();
    status.setState(CsiAddons.VolumeState.PRIMARY.wire());
    vr.setStatus(status);

    VolumeReplication created = client.resource(vr).create();
    assertThat(created.getStatus()).as("status is dropped on create").isNull();

    created.setStatus(status);
    status.setObservedGeneration(created.getMetadata().getGeneration());
    status.setConditions(
        List.of(
            new ConditionBuilder()
                .withType(CsiAddons.ConditionType.COMPLETED.wire())
                .withStatus("True")
                .withReason(CsiAddons.Reason.PROMOTED.wire())
                .withMessage("volume is promoted to primary and replicating to secondary")
                .withObservedGeneration(created.getMetadata().getGeneration())
                .withLastTransitionTime("2026-12-03T10:00:00Z")
                .build()));
    client.resource(created).updateStatus();

    VolumeReplication read = client.resources(VolumeReplication.class).inNamespace("app").withName("data").get();
    assertThat(CsiAddons.VolumeState.parse(read.getStatus().getState())).isEqualTo(CsiAddons.VolumeState.PRIMARY);
    assertThat(read.getStatus().getConditions()).singleElement()
        .satisfies(c -> assertThat(CsiAddons.Reason.parse(c.getReason())).isEqualTo(CsiAddons.Reason.PROMOTED));
    assertThat(read.getSpec().getAutoResync()).isFalse();
  }

  @Test
  void volumeSnapshotClassKeepsItsTopLevelFields() {
    VolumeSnapshotClass snapshotClass = new VolumeSnapshotClass();
    snapshotClass.setMetadata(new ObjectMetaBuilder().withName("refdriver-snap").build());
    snapshotClass.setDriver("refdriver.replcert.dev");
    snapshotClass.setDeletionPolicy(VolumeSnapshotClass.DeletionPolicy.DELETE);
    snapshotClass.setParameters(Map.of("pool", "fast"));
    client.resource(snapshotClass).create();

    VolumeSnapshotClass read = client.resources(VolumeSnapshotClass.class).withName("refdriver-snap").get();
    assertThat(read.getDriver()).isEqualTo("refdriver.replcert.dev");
    assertThat(read.getDeletionPolicy()).isEqualTo(VolumeSnapshotClass.DeletionPolicy.DELETE);
    assertThat(read.getParameters()).containsEntry("pool", "fast");
  }
}
