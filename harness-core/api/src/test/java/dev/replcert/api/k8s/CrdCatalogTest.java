package dev.replcert.api.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.replcert.api.k8s.CrdCatalog.Entry;
import dev.replcert.api.k8s.CrdCatalog.Scope;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.k8s.storage.snapshot.v1.VolumeSnapshot;
import io.k8s.storage.snapshot.v1.VolumeSnapshotClass;
import io.k8s.storage.snapshot.v1.VolumeSnapshotContent;
import io.open_cluster_management.cluster.v1.ManagedCluster;
import io.open_cluster_management.cluster.v1beta1.Placement;
import io.open_cluster_management.cluster.v1beta1.PlacementDecision;
import io.open_cluster_management.view.v1beta1.ManagedClusterView;
import io.open_cluster_management.work.v1.ManifestWork;
import io.openshift.csiaddons.v1alpha1.NetworkFence;
import io.openshift.csiaddons.v1alpha1.NetworkFenceClass;
import io.openshift.ramendr.v1alpha1.DRCluster;
import io.openshift.ramendr.v1alpha1.DRClusterConfig;
import io.openshift.ramendr.v1alpha1.DRPlacementControl;
import io.openshift.ramendr.v1alpha1.DRPolicy;
import io.openshift.ramendr.v1alpha1.Recipe;
import io.openshift.ramendr.v1alpha1.VolumeReplicationGroup;
import io.openshift.storage.replication.v1alpha1.VolumeGroupReplication;
import io.openshift.storage.replication.v1alpha1.VolumeGroupReplicationClass;
import io.openshift.storage.replication.v1alpha1.VolumeGroupReplicationContent;
import io.openshift.storage.replication.v1alpha1.VolumeReplication;
import io.openshift.storage.replication.v1alpha1.VolumeReplicationClass;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class CrdCatalogTest {

  /** Every kind the brief (issue 5) asks for, and DRClusterConfig (peer classes, issue 6), with its scope. */
  static final Map<Class<? extends HasMetadata>, Scope> MODELS =
      Map.ofEntries(
          Map.entry(VolumeReplication.class, Scope.NAMESPACED),
          Map.entry(VolumeReplicationClass.class, Scope.CLUSTER),
          Map.entry(VolumeGroupReplication.class, Scope.NAMESPACED),
          Map.entry(VolumeGroupReplicationClass.class, Scope.CLUSTER),
          Map.entry(VolumeGroupReplicationContent.class, Scope.CLUSTER),
          Map.entry(NetworkFence.class, Scope.CLUSTER),
          Map.entry(NetworkFenceClass.class, Scope.CLUSTER),
          Map.entry(ManifestWork.class, Scope.NAMESPACED),
          Map.entry(ManagedClusterView.class, Scope.NAMESPACED),
          Map.entry(Placement.class, Scope.NAMESPACED),
          Map.entry(PlacementDecision.class, Scope.NAMESPACED),
          Map.entry(ManagedCluster.class, Scope.CLUSTER),
          Map.entry(VolumeSnapshot.class, Scope.NAMESPACED),
          Map.entry(VolumeSnapshotClass.class, Scope.CLUSTER),
          Map.entry(VolumeSnapshotContent.class, Scope.CLUSTER),
          Map.entry(DRPolicy.class, Scope.CLUSTER),
          Map.entry(DRCluster.class, Scope.CLUSTER),
          Map.entry(DRClusterConfig.class, Scope.CLUSTER),
          Map.entry(DRPlacementControl.class, Scope.NAMESPACED),
          Map.entry(VolumeReplicationGroup.class, Scope.NAMESPACED),
          Map.entry(Recipe.class, Scope.NAMESPACED));

  static List<Entry> entries() {
    return CrdCatalog.all();
  }

  @Test
  void indexListsOneCrdPerModelAndNothingElse() {
    assertThat(CrdCatalog.indexFiles()).doesNotHaveDuplicates().hasSize(MODELS.size());
    assertThat(CrdCatalog.all()).extracting(Entry::file).isEqualTo(CrdCatalog.indexFiles());
    for (var model : MODELS.entrySet()) {
      Entry entry = CrdCatalog.find(model.getKey()).orElseThrow();
      assertThat(entry.kind()).isEqualTo(HasMetadata.getKind(model.getKey()));
      assertThat(entry.scope()).as(entry.kind()).isEqualTo(model.getValue());
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("entries")
  void everyCrdParsesAsApiextensionsV1WithASchema(Entry entry) throws Exception {
    CustomResourceDefinition crd;
    try (InputStream in = CrdCatalog.open(entry)) {
      crd = new KubernetesSerialization().unmarshal(in, CustomResourceDefinition.class);
    }
    assertThat(crd.getApiVersion()).isEqualTo("apiextensions.k8s.io/v1");
    assertThat(crd.getKind()).isEqualTo("CustomResourceDefinition");
    assertThat(crd.getMetadata().getName()).isEqualTo(entry.crdName());
    assertThat(crd.getSpec().getNames().getListKind()).isEqualTo(entry.kind() + "List");
    var version = crd.getSpec().getVersions().get(0);
    assertThat(version.getServed()).isTrue();
    assertThat(version.getStorage()).isTrue();
    JSONSchemaProps schema = version.getSchema().getOpenAPIV3Schema();
    assertThat(schema.getType()).isEqualTo("object");
    assertThat(schema.getProperties()).containsKeys("apiVersion", "kind", "metadata");
    if (entry.statusSubresource()) {
      assertThat(schema.getProperties()).as("status subresource needs a status").containsKey("status");
    }
    assertThat(CrdCatalog.definition(entry)).isEqualTo(crd);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("entries")
  void everyCrdHasAGeneratedModelThatAgrees(Entry entry) throws Exception {
    Class<?> loaded = Class.forName(entry.modelClassName());
    assertThat(HasMetadata.class).isAssignableFrom(loaded);
    @SuppressWarnings("unchecked")
    Class<? extends HasMetadata> type = (Class<? extends HasMetadata>) loaded;
    assertThat(MODELS).containsKey(type);
    assertThat(HasMetadata.getGroup(type)).isEqualTo(entry.group());
    assertThat(HasMetadata.getVersion(type)).isEqualTo(entry.version());
    assertThat(HasMetadata.getApiVersion(type)).isEqualTo(entry.apiVersion());
    assertThat(HasMetadata.getKind(type)).isEqualTo(entry.kind());
    assertThat(HasMetadata.getPlural(type)).isEqualTo(entry.plural());
    assertThat(HasMetadata.getSingular(type)).isEqualTo(entry.singular());
    assertThat(Namespaced.class.isAssignableFrom(type))
        .as("implements Namespaced")
        .isEqualTo(entry.scope() == Scope.NAMESPACED);
    HasMetadata instance = type.getDeclaredConstructor().newInstance();
    assertThat(instance.getApiVersion()).isEqualTo(entry.apiVersion());
    assertThat(instance.getKind()).isEqualTo(entry.kind());
    assertThat(instance.getPlural()).isEqualTo(entry.plural());
  }

  @Test
  void entriesCarryNamesScopeAndSubresourceOfTheYaml() {
    Entry vr = CrdCatalog.find("replication.storage.openshift.io", "volumereplications").orElseThrow();
    assertThat(vr)
        .isEqualTo(
            new Entry(
                "volumereplications.replication.storage.openshift.io.yaml",
                "replication.storage.openshift.io",
                "v1alpha1",
                "VolumeReplication",
                "volumereplications",
                "volumereplication",
                List.of("vr"),
                Scope.NAMESPACED,
                true));
    assertThat(vr.modelClassName()).isEqualTo(VolumeReplication.class.getName());

    Entry fence = CrdCatalog.find(NetworkFence.class).orElseThrow();
    assertThat(fence.scope()).isEqualTo(Scope.CLUSTER);
    assertThat(fence.apiVersion()).isEqualTo("csiaddons.openshift.io/v1alpha1");

    Entry work = CrdCatalog.find("work.open-cluster-management.io", "manifestworks").orElseThrow();
    assertThat(work.modelClassName()).isEqualTo("io.open_cluster_management.work.v1.ManifestWork");
    assertThat(work.shortNames()).isEmpty();

    Entry drpc = CrdCatalog.find("ramendr.openshift.io", "drplacementcontrols").orElseThrow();
    assertThat(drpc.shortNames()).containsExactly("drpc");

    // the snapshot class has its fields at top level and no status at all
    assertThat(CrdCatalog.find(VolumeSnapshotClass.class).orElseThrow().statusSubresource()).isFalse();
    assertThat(CrdCatalog.find(VolumeSnapshot.class).orElseThrow().statusSubresource()).isTrue();
    assertThat(CrdCatalog.find(PlacementDecision.class).orElseThrow().statusSubresource()).isTrue();
  }

  @Test
  void findIsExactOnGroupAndPlural() {
    assertThat(CrdCatalog.find("ramendr.openshift.io", "drpolicies")).isPresent();
    assertThat(CrdCatalog.find("ramendr.openshift.io", "drpolicy")).isEmpty();
    assertThat(CrdCatalog.find("ramendr.openshift.io", "volumereplications")).isEmpty();
    assertThat(CrdCatalog.find("cluster.open-cluster-management.io", "placements")).isPresent();
    assertThat(CrdCatalog.find("snapshot.storage.k8s.io", "volumesnapshotclasses")).isPresent();
    assertThat(CrdCatalog.find("", "volumesnapshots")).isEmpty();
  }

  @Test
  void catalogIsReadOnly() {
    List<Entry> all = CrdCatalog.all();
    assertThatThrownBy(() -> all.remove(0)).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void openGivesTheYamlOfTheEntry() throws Exception {
    Entry vs = CrdCatalog.find(VolumeSnapshot.class).orElseThrow();
    try (InputStream in = CrdCatalog.open(vs)) {
      String yaml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      assertThat(yaml).contains("name: volumesnapshots.snapshot.storage.k8s.io", "kind: VolumeSnapshot");
    }
  }

  @Test
  void aCrdInTheWrongFileIsRejected() {
    CustomResourceDefinition crd = CrdCatalog.definition(CrdCatalog.find(DRPolicy.class).orElseThrow());
    assertThatThrownBy(() -> CrdCatalog.entry("drpolicy.yaml", crd))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("drpolicies.ramendr.openshift.io.yaml");
  }
}
