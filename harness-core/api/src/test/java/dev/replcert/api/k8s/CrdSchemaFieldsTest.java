package dev.replcert.api.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The schemas carry the fields of the reference tables (reference/csi.md §4, reference/ramen.md §1). */
class CrdSchemaFieldsTest {

  private static JSONSchemaProps schema(String group, String plural) {
    var entry = CrdCatalog.find(group, plural).orElseThrow();
    return CrdCatalog.definition(entry).getSpec().getVersions().get(0).getSchema().getOpenAPIV3Schema();
  }

  private static JSONSchemaProps at(JSONSchemaProps schema, String path) {
    JSONSchemaProps node = schema;
    for (String part : path.split("\\.")) {
      node = part.equals("[]") ? node.getItems().getSchema() : node.getProperties().get(part);
      assertThat(node).as(path + " (at " + part + ")").isNotNull();
    }
    return node;
  }

  @ParameterizedTest(name = "{0}/{1} {2}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          replication.storage.openshift.io | volumereplications | spec | volumeReplicationClass replicationState dataSource autoResync replicationHandle
          replication.storage.openshift.io | volumereplications | status | state message conditions observedGeneration lastStartTime lastCompletionTime lastSyncTime lastSyncBytes lastSyncDuration destinationVolumeID
          replication.storage.openshift.io | volumereplicationclasses | spec | provisioner parameters
          replication.storage.openshift.io | volumegroupreplications | spec | volumeGroupReplicationClassName volumeReplicationClassName volumeReplicationName volumeGroupReplicationContentName source replicationState autoResync external
          replication.storage.openshift.io | volumegroupreplications | status | state message conditions observedGeneration lastSyncTime persistentVolumeClaimsRefList
          replication.storage.openshift.io | volumegroupreplicationcontents | spec | volumeGroupReplicationRef volumeGroupReplicationHandle provisioner volumeGroupReplicationClassName volumeGroupAttributes source
          replication.storage.openshift.io | volumegroupreplicationcontents | status | persistentVolumeMappingList persistentVolumeRefList destinationVolumeGroupID
          csiaddons.openshift.io | networkfences | spec | networkFenceClassName driver secret parameters fenceState cidrs
          csiaddons.openshift.io | networkfences | status | result message conditions
          csiaddons.openshift.io | networkfenceclasses | spec | provisioner parameters
          work.open-cluster-management.io | manifestworks | spec | workload deleteOption manifestConfigs
          work.open-cluster-management.io | manifestworks | status | conditions resourceStatus
          view.open-cluster-management.io | managedclusterviews | spec | scope
          view.open-cluster-management.io | managedclusterviews | status | conditions result
          cluster.open-cluster-management.io | placements | spec | clusterSets numberOfClusters predicates prioritizerPolicy tolerations decisionStrategy
          cluster.open-cluster-management.io | placements | status | numberOfSelectedClusters decisionGroups conditions
          cluster.open-cluster-management.io | placementdecisions | status | decisions
          cluster.open-cluster-management.io | managedclusters | spec | hubAcceptsClient managedClusterClientConfigs leaseDurationSeconds taints
          cluster.open-cluster-management.io | managedclusters | status | conditions capacity allocatable version clusterClaims
          snapshot.storage.k8s.io | volumesnapshots | spec | source volumeSnapshotClassName
          snapshot.storage.k8s.io | volumesnapshots | status | boundVolumeSnapshotContentName creationTime readyToUse restoreSize error
          snapshot.storage.k8s.io | volumesnapshotclasses | - | driver deletionPolicy parameters
          snapshot.storage.k8s.io | volumesnapshotcontents | spec | volumeSnapshotRef deletionPolicy driver volumeSnapshotClassName source sourceVolumeMode
          snapshot.storage.k8s.io | volumesnapshotcontents | status | snapshotHandle creationTime readyToUse restoreSize error
          ramendr.openshift.io | drpolicies | spec | schedulingInterval replicationClassSelector volumeSnapshotClassSelector volumeGroupSnapshotClassSelector drClusters
          ramendr.openshift.io | drpolicies | status | conditions async sync
          ramendr.openshift.io | drclusters | spec | cidrs clusterFence region s3ProfileName
          ramendr.openshift.io | drclusters | status | phase conditions maintenanceModes
          ramendr.openshift.io | drclusterconfigs | spec | clusterID replicationSchedules
          ramendr.openshift.io | drclusterconfigs | status | conditions storageClasses volumeSnapshotClasses volumeGroupSnapshotClasses volumeReplicationClasses volumeGroupReplicationClasses networkFenceClasses
          ramendr.openshift.io | drplacementcontrols | spec | placementRef drPolicyRef pvcSelector preferredCluster failoverCluster action dryRun protectedNamespaces kubeObjectProtection volSyncSpec retainNamespaceSCCAcrossPeers
          ramendr.openshift.io | drplacementcontrols | status | phase observedGeneration actionStartTime actionDuration progression preferredDecision conditions resourceConditions lastUpdateTime lastGroupSyncTime lastGroupSyncDuration lastGroupSyncBytes lastKubeObjectProtectionTime
          ramendr.openshift.io | volumereplicationgroups | spec | pvcSelector replicationState s3Profiles async sync volSync prepareForFinalSync runFinalSync action dryRun kubeObjectProtection protectedNamespaces
          ramendr.openshift.io | volumereplicationgroups | status | state protectedPVCs pvcgroups rdInfo conditions observedGeneration lastUpdateTime kubeObjectProtection prepareForFinalSyncComplete finalSyncComplete lastGroupSyncTime lastGroupSyncDuration lastGroupSyncBytes
          ramendr.openshift.io | recipes | spec | appType groups volumes hooks workflows
          """)
  void schemaHasTheReferenceFields(String group, String plural, String part, String fields) {
    JSONSchemaProps root = schema(group, plural);
    JSONSchemaProps node = part.equals("-") ? root : at(root, part);
    assertThat(node.getProperties()).containsKeys(fields.split(" "));
  }

  @Test
  void enumsAreTheReferenceValues() {
    var vr = schema("replication.storage.openshift.io", "volumereplications");
    assertThat(values(at(vr, "spec.replicationState"))).containsExactly("primary", "secondary", "resync");
    var nf = schema("csiaddons.openshift.io", "networkfences");
    assertThat(values(at(nf, "spec.fenceState"))).containsExactly("Fenced", "Unfenced");
    assertThat(values(at(nf, "status.result"))).containsExactly("Succeeded", "Failed");
    var dc = schema("ramendr.openshift.io", "drclusters");
    assertThat(values(at(dc, "spec.clusterFence")))
        .containsExactly("Unfenced", "Fenced", "ManuallyFenced", "ManuallyUnfenced");
    var drpc = schema("ramendr.openshift.io", "drplacementcontrols");
    assertThat(values(at(drpc, "spec.action"))).containsExactly("Failover", "Relocate");
    var vrg = schema("ramendr.openshift.io", "volumereplicationgroups");
    assertThat(values(at(vrg, "spec.replicationState"))).containsExactly("primary", "secondary");
    var work = schema("work.open-cluster-management.io", "manifestworks");
    assertThat(values(at(work, "status.resourceStatus.manifests.[].statusFeedback.values.[].fieldValue.type")))
        .containsExactly("Integer", "String", "Boolean", "JsonRaw");
  }

  @Test
  void requiredAndValidationFollowTheReference() {
    var vr = schema("replication.storage.openshift.io", "volumereplications");
    assertThat(at(vr, "spec").getRequired()).contains("volumeReplicationClass", "replicationState", "dataSource");
    assertThat(at(vr, "spec.autoResync").getDefault().asBoolean()).isFalse();
    var nf = schema("csiaddons.openshift.io", "networkfences");
    assertThat(at(nf, "spec").getRequired()).contains("cidrs");
    assertThat(at(nf, "spec.fenceState").getDefault().asText()).isEqualTo("Fenced");
    var policy = schema("ramendr.openshift.io", "drpolicies");
    assertThat(at(policy, "spec.schedulingInterval").getPattern()).isEqualTo("^(|\\d+[mhd])$");
    assertThat(at(policy, "spec.drClusters").getMinItems()).isEqualTo(2L);
    assertThat(at(policy, "spec.drClusters").getMaxItems()).isEqualTo(2L);
    var drc = schema("ramendr.openshift.io", "drclusters");
    assertThat(at(drc, "spec").getRequired()).contains("s3ProfileName");
    var vgr = schema("replication.storage.openshift.io", "volumegroupreplications");
    assertThat(at(vgr, "status.persistentVolumeClaimsRefList").getMaxItems()).isEqualTo(100L);
  }

  @Test
  void freeFormPartsPreserveUnknownFields() {
    var work = schema("work.open-cluster-management.io", "manifestworks");
    assertThat(at(work, "spec.workload.manifests.[]").getXKubernetesPreserveUnknownFields()).isTrue();
    assertThat(at(work, "spec.workload.manifests.[]").getXKubernetesEmbeddedResource()).isTrue();
    var view = schema("view.open-cluster-management.io", "managedclusterviews");
    assertThat(at(view, "status.result").getXKubernetesPreserveUnknownFields()).isTrue();
    var recipe = schema("ramendr.openshift.io", "recipes");
    assertThat(at(recipe, "spec.hooks.[]").getXKubernetesPreserveUnknownFields()).isTrue();
  }

  private static List<String> values(JSONSchemaProps node) {
    return node.getEnum().stream().map(v -> v.asText()).toList();
  }
}
