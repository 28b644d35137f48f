package dev.replcert.api.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.k8s.storage.snapshot.v1.VolumeSnapshot;
import io.k8s.storage.snapshot.v1.VolumeSnapshotClass;
import io.open_cluster_management.cluster.v1.ManagedCluster;
import io.open_cluster_management.cluster.v1beta1.PlacementDecision;
import io.open_cluster_management.view.v1beta1.ManagedClusterView;
import io.open_cluster_management.work.v1.ManifestWork;
import io.openshift.csiaddons.v1alpha1.NetworkFence;
import io.openshift.csiaddons.v1alpha1.NetworkFenceSpec;
import io.openshift.ramendr.v1alpha1.DRPlacementControl;
import io.openshift.ramendr.v1alpha1.DRPlacementControlSpec;
import io.openshift.ramendr.v1alpha1.Recipe;
import io.openshift.ramendr.v1alpha1.VolumeReplicationGroup;
import io.openshift.storage.replication.v1alpha1.VolumeReplication;
import io.openshift.storage.replication.v1alpha1.VolumeReplicationSpec;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A representative object per API group, written as the real API writes it (field names from the
 * reference tables): every field must land in a declared property of the generated model (not in
 * its additional properties), and the model must write back the same document. A misspelt or missing
 * field in a CRD shows up here.
 */
class ModelRoundTripTest {

  private final KubernetesSerialization serialization = new KubernetesSerialization();

  private <T extends HasMetadata> T roundTrip(String yaml, Class<T> type) {
    T model = serialization.unmarshal(yaml, type);
    assertThat(unknownFields(model)).as("fields the %s CRD does not declare", type.getSimpleName()).isEmpty();
    String json = serialization.asJson(model);
    Map<?, ?> written = serialization.unmarshal(json, Map.class);
    Map<?, ?> original = serialization.unmarshal(yaml, Map.class);
    assertThat(written).as("written back from %s", type.getSimpleName()).isEqualTo(original);
    T again = serialization.unmarshal(json, type);
    assertThat(serialization.asJson(again)).isEqualTo(json);
    return model;
  }

  @Test
  void volumeReplication() {
    VolumeReplication vr =
        roundTrip(
            """
            apiVersion: replication.storage.openshift.io/v1alpha1
            kind: VolumeReplication
            metadata: {name: data, namespace: app, generation: 3}
            spec:
              volumeReplicationClass: rbd-1m
              replicationState: secondary
              dataSource: {apiGroup: "", kind: PersistentVolumeClaim, name: data}
              autoResync: true
              replicationHandle: pool/image
            status:
              state: Secondary
              message: volume is marked secondary and is degraded
              observedGeneration: 3
              lastStartTime: "2026-12-03T10:00:00Z"
              lastCompletionTime: "2026-12-03T10:00:02Z"
              lastSyncTime: "2026-12-03T09:59:00Z"
              lastSyncBytes: 4096
              lastSyncDuration: 1.5s
              destinationVolumeID: vol-west-1
              conditions:
              - {type: Completed, status: "True", reason: Demoted, message: volume is demoted, observedGeneration: 3, lastTransitionTime: "2026-12-03T10:00:02Z"}
              - {type: Degraded, status: "True", reason: VolumeDegraded, message: volume is degraded, observedGeneration: 3, lastTransitionTime: "2026-12-03T10:00:02Z"}
            """,
            VolumeReplication.class);
    assertThat(vr.getSpec().getReplicationState())
        .isEqualTo(VolumeReplicationSpec.ReplicationState.SECONDARY);
    assertThat(vr.getSpec().getDataSource().getKind()).isEqualTo("PersistentVolumeClaim");
    assertThat(CsiAddons.VolumeState.parse(vr.getStatus().getState()))
        .isEqualTo(CsiAddons.VolumeState.SECONDARY);
    assertThat(vr.getStatus().getLastSyncTime())
        .isEqualTo(ZonedDateTime.parse("2026-12-03T09:59:00Z"));
    assertThat(vr.getStatus().getLastSyncBytes()).isEqualTo(4096L);
    Condition completed = vr.getStatus().getConditions().get(0);
    assertThat(CsiAddons.ConditionType.parse(completed.getType()))
        .isEqualTo(CsiAddons.ConditionType.COMPLETED);
    assertThat(CsiAddons.Reason.parse(completed.getReason())).isEqualTo(CsiAddons.Reason.DEMOTED);
    assertThat(completed.getObservedGeneration()).isEqualTo(3L);
  }

  @Test
  void networkFence() {
    NetworkFence fence =
        roundTrip(
            """
            apiVersion: csiaddons.openshift.io/v1alpha1
            kind: NetworkFence
            metadata: {name: network-fence-east}
            spec:
              networkFenceClassName: rbd-fence
              fenceState: Fenced
              cidrs: [10.0.1.0/24, 10.0.2.7/32]
              secret: {name: fence-secret, namespace: storage}
              parameters: {clusterID: east}
            status:
              result: Succeeded
              message: fencing operation successful
              conditions:
              - {type: Fenced, status: "True", reason: Succeeded, message: ok, lastTransitionTime: "2026-12-03T10:00:00Z"}
            """,
            NetworkFence.class);
    assertThat(fence.getSpec().getFenceState()).isEqualTo(NetworkFenceSpec.FenceState.FENCED);
    assertThat(fence.getSpec().getCidrs()).containsExactly("10.0.1.0/24", "10.0.2.7/32");
    assertThat(CsiAddons.FenceResult.parse(fence.getStatus().getResult().getValue()))
        .isEqualTo(CsiAddons.FenceResult.SUCCEEDED);
  }

  @Test
  void manifestWorkCarriesWholeResourcesAndFeedback() {
    ManifestWork work =
        roundTrip(
            """
            apiVersion: work.open-cluster-management.io/v1
            kind: ManifestWork
            metadata: {name: app-busybox-vrg-mw, namespace: east}
            spec:
              workload:
                manifests:
                - apiVersion: ramendr.openshift.io/v1alpha1
                  kind: VolumeReplicationGroup
                  metadata: {name: app, namespace: busybox}
                  spec:
                    replicationState: primary
                    s3Profiles: [s3-east, s3-west]
                    pvcSelector: {matchLabels: {appname: busybox}}
                    async: {schedulingInterval: 1m}
              deleteOption: {propagationPolicy: Orphan}
              manifestConfigs:
              - resourceIdentifier: {group: ramendr.openshift.io, resource: volumereplicationgroups, name: app, namespace: busybox}
                feedbackRules:
                - type: JSONPaths
                  jsonPaths: [{name: state, path: .status.state}]
            status:
              conditions:
              - {type: Applied, status: "True", reason: AppliedManifestWorkComplete, message: Apply manifest work complete, observedGeneration: 1, lastTransitionTime: "2026-12-03T10:00:00Z"}
              - {type: Available, status: "True", reason: ResourcesAvailable, message: All resources are available, observedGeneration: 1, lastTransitionTime: "2026-12-03T10:00:00Z"}
              resourceStatus:
                manifests:
                - resourceMeta: {ordinal: 0, group: ramendr.openshift.io, version: v1alpha1, kind: VolumeReplicationGroup, resource: volumereplicationgroups, name: app, namespace: busybox}
                  statusFeedback:
                    values:
                    - name: state
                      fieldValue: {type: String, string: Primary}
                    - name: generation
                      fieldValue: {type: Integer, integer: 4}
                  conditions:
                  - {type: Applied, status: "True", reason: AppliedManifestComplete, message: Apply manifest complete, lastTransitionTime: "2026-12-03T10:00:00Z"}
            """,
            ManifestWork.class);
    GenericKubernetesResource vrg = work.getSpec().getWorkload().getManifests().get(0);
    assertThat(vrg.getKind()).isEqualTo("VolumeReplicationGroup");
    assertThat(vrg.getMetadata().getNamespace()).isEqualTo("busybox");
    VolumeReplicationGroup typed = serialization.convertValue(vrg, VolumeReplicationGroup.class);
    assertThat(typed.getSpec().getAsync().getSchedulingInterval()).isEqualTo("1m");
    assertThat(typed.getSpec().getPvcSelector().getMatchLabels()).containsEntry("appname", "busybox");
    assertThat(work.getStatus().getConditions())
        .extracting(c -> Ocm.WorkCondition.parse(c.getType()))
        .containsExactly(Ocm.WorkCondition.APPLIED, Ocm.WorkCondition.AVAILABLE);
    assertThat(Ocm.feedback(work, "VolumeReplicationGroup", "app", "state")).contains("Primary");
    assertThat(Ocm.feedback(work, "VolumeReplicationGroup", "app", "generation")).contains("4");
    assertThat(Ocm.feedback(work, "VolumeReplicationGroup", "other", "state")).isEmpty();
    assertThat(Ocm.feedback(work, "VolumeReplicationGroup", "app", "missing")).isEmpty();
  }

  @Test
  void managedClusterViewResultIsTheViewedResource() {
    ManagedClusterView view =
        roundTrip(
            """
            apiVersion: view.open-cluster-management.io/v1beta1
            kind: ManagedClusterView
            metadata: {name: app-busybox-vrg-mcv, namespace: west}
            spec:
              scope: {apiGroup: ramendr.openshift.io, kind: VolumeReplicationGroup, version: v1alpha1, name: app, namespace: busybox, updateIntervalSeconds: 30}
            status:
              conditions:
              - {type: Processing, status: "True", reason: GetResourceProcessing, message: Watching resources successfully, lastTransitionTime: "2026-12-03T10:00:00Z"}
              result:
                apiVersion: ramendr.openshift.io/v1alpha1
                kind: VolumeReplicationGroup
                metadata: {name: app, namespace: busybox, generation: 2}
                status: {state: Secondary, observedGeneration: 2}
            """,
            ManagedClusterView.class);
    assertThat(view.getSpec().getScope().getKind()).isEqualTo("VolumeReplicationGroup");
    GenericKubernetesResource result = view.getStatus().getResult();
    VolumeReplicationGroup vrg = serialization.convertValue(result, VolumeReplicationGroup.class);
    assertThat(Ramen.VrgState.parse(vrg.getStatus().getState())).isEqualTo(Ramen.VrgState.SECONDARY);
    assertThat(view.getStatus().getConditions().get(0).getType()).isEqualTo(Ocm.VIEW_CONDITION_PROCESSING);
  }

  @Test
  void placementDecisionAndManagedCluster() {
    PlacementDecision decision =
        roundTrip(
            """
            apiVersion: cluster.open-cluster-management.io/v1beta1
            kind: PlacementDecision
            metadata:
              name: app-decision-1
              namespace: busybox
              labels: {cluster.open-cluster-management.io/placement: app}
            status:
              decisions:
              - {clusterName: east, reason: ""}
            """,
            PlacementDecision.class);
    assertThat(decision.getStatus().getDecisions()).singleElement().satisfies(d -> assertThat(d.getClusterName()).isEqualTo("east"));
    assertThat(decision.getMetadata().getLabels()).containsKey(Ocm.PLACEMENT_LABEL);

    ManagedCluster cluster =
        roundTrip(
            """
            apiVersion: cluster.open-cluster-management.io/v1
            kind: ManagedCluster
            metadata: {name: east}
            spec:
              hubAcceptsClient: true
              leaseDurationSeconds: 60
              managedClusterClientConfigs: [{url: "https://east.example:6443"}]
            status:
              conditions:
              - {type: ManagedClusterConditionAvailable, status: "True", reason: ManagedClusterAvailable, message: ok, lastTransitionTime: "2026-12-03T10:00:00Z"}
              capacity: {cpu: "8", memory: 32Gi}
              version: {kubernetes: v1.34.0}
              clusterClaims: [{name: id.k8s.io, value: east}]
            """,
            ManagedCluster.class);
    assertThat(cluster.getSpec().getHubAcceptsClient()).isTrue();
    assertThat(cluster.getStatus().getCapacity().get("memory").getStrVal()).isEqualTo("32Gi");
  }

  @Test
  void volumeSnapshotAndItsClass() {
    VolumeSnapshot snapshot =
        roundTrip(
            """
            apiVersion: snapshot.storage.k8s.io/v1
            kind: VolumeSnapshot
            metadata: {name: data-snap, namespace: app}
            spec:
              source: {persistentVolumeClaimName: data}
              volumeSnapshotClassName: refdriver-snap
            status:
              boundVolumeSnapshotContentName: snapcontent-1
              creationTime: "2026-12-03T10:00:00Z"
              readyToUse: true
              restoreSize: 1Gi
            """,
            VolumeSnapshot.class);
    assertThat(snapshot.getSpec().getSource().getPersistentVolumeClaimName()).isEqualTo("data");
    assertThat(snapshot.getStatus().getReadyToUse()).isTrue();

    VolumeSnapshotClass snapshotClass =
        roundTrip(
            """
            apiVersion: snapshot.storage.k8s.io/v1
            kind: VolumeSnapshotClass
            metadata: {name: refdriver-snap, labels: {ramendr.openshift.io/storageid: east-1}}
            driver: refdriver.replcert.dev
            deletionPolicy: Delete
            parameters: {pool: fast}
            """,
            VolumeSnapshotClass.class);
    assertThat(snapshotClass.getDriver()).isEqualTo("refdriver.replcert.dev");
    assertThat(snapshotClass.getDeletionPolicy()).isEqualTo(VolumeSnapshotClass.DeletionPolicy.DELETE);
  }

  @Test
  void drPlacementControl() {
    DRPlacementControl drpc =
        roundTrip(
            """
            apiVersion: ramendr.openshift.io/v1alpha1
            kind: DRPlacementControl
            metadata: {name: app, namespace: busybox, generation: 2}
            spec:
              placementRef: {kind: Placement, name: app, namespace: busybox}
              drPolicyRef: {name: dr-policy-1m}
              pvcSelector: {matchLabels: {appname: busybox}}
              preferredCluster: east
              failoverCluster: west
              action: Failover
            status:
              phase: FailingOver
              progression: CheckingFailoverPrequisites
              observedGeneration: 2
              actionStartTime: "2026-12-03T10:00:00Z"
              preferredDecision: {clusterName: east, clusterNamespace: east}
              lastGroupSyncTime: "2026-12-03T09:59:00Z"
              lastGroupSyncDuration: 2s
              lastGroupSyncBytes: 8192
              conditions:
              - {type: Available, status: "False", reason: FailingOver, message: Started failover, observedGeneration: 2, lastTransitionTime: "2026-12-03T10:00:00Z"}
              - {type: PeerReady, status: "False", reason: NotStarted, message: Started failover to cluster "west", observedGeneration: 2, lastTransitionTime: "2026-12-03T10:00:00Z"}
              resourceConditions:
                resourceMeta: {kind: VolumeReplicationGroup, name: app, namespace: busybox, generation: 1, protectedpvcs: [data]}
                conditions:
                - {type: DataReady, status: "True", reason: Ready, message: PVCs ready, lastTransitionTime: "2026-12-03T10:00:00Z"}
            """,
            DRPlacementControl.class);
    assertThat(drpc.getSpec().getAction()).isEqualTo(DRPlacementControlSpec.Action.FAILOVER);
    assertThat(drpc.getSpec().getPlacementRef().getKind()).isEqualTo("Placement");
    assertThat(Ramen.Phase.parse(drpc.getStatus().getPhase())).isEqualTo(Ramen.Phase.FAILING_OVER);
    assertThat(Ramen.Progression.parse(drpc.getStatus().getProgression()))
        .isEqualTo(Ramen.Progression.CHECKING_FAILOVER_PREREQUISITES);
    assertThat(drpc.getStatus().getConditions())
        .extracting(c -> Ramen.DrpcCondition.parse(c.getType()))
        .containsExactly(Ramen.DrpcCondition.AVAILABLE, Ramen.DrpcCondition.PEER_READY);
    assertThat(drpc.getStatus().getResourceConditions().getResourceMeta().getProtectedpvcs())
        .containsExactly("data");
  }

  @Test
  void volumeReplicationGroupAndRecipe() {
    VolumeReplicationGroup vrg =
        roundTrip(
            """
            apiVersion: ramendr.openshift.io/v1alpha1
            kind: VolumeReplicationGroup
            metadata: {name: app, namespace: busybox}
            spec:
              pvcSelector: {matchLabels: {appname: busybox}}
              replicationState: primary
              s3Profiles: [s3-east, s3-west]
              async:
                schedulingInterval: 1m
                replicationClassSelector: {}
                peerClasses: [{replicationID: repl-1, storageID: [east-1, west-1], storageClassName: refdriver, clusterIDs: [uid-e, uid-w]}]
              action: Failover
            status:
              state: Primary
              observedGeneration: 1
              protectedPVCs:
              - name: data
                namespace: busybox
                csiProvisioner: refdriver.replcert.dev
                storageClassName: refdriver
                accessModes: [ReadWriteOnce]
                resources: {requests: {storage: 1Gi}}
                lastSyncTime: "2026-12-03T09:59:00Z"
                lastSyncBytes: 4096
                conditions:
                - {type: DataReady, status: "True", reason: Ready, message: ready, lastTransitionTime: "2026-12-03T10:00:00Z"}
              conditions:
              - {type: DataProtected, status: "False", reason: Replicating, message: VolumeReplicationGroup is replicating, lastTransitionTime: "2026-12-03T10:00:00Z"}
              lastGroupSyncTime: "2026-12-03T09:59:00Z"
              kubeObjectProtection:
                captureToRecoverFrom: {number: 1, startTime: "2026-12-03T09:55:00Z", endTime: "2026-12-03T09:55:03Z", startGeneration: 1}
            """,
            VolumeReplicationGroup.class);
    assertThat(Ramen.VrgState.parse(vrg.getStatus().getState())).isEqualTo(Ramen.VrgState.PRIMARY);
    assertThat(vrg.getStatus().getProtectedPVCs().get(0).getLastSyncBytes()).isEqualTo(4096L);
    assertThat(vrg.getSpec().getAsync().getPeerClasses().get(0).getStorageID())
        .containsExactly("east-1", "west-1");
    assertThat(Ramen.VrgCondition.parse(vrg.getStatus().getConditions().get(0).getType()))
        .isEqualTo(Ramen.VrgCondition.DATA_PROTECTED);

    Recipe recipe =
        roundTrip(
            """
            apiVersion: ramendr.openshift.io/v1alpha1
            kind: Recipe
            metadata: {name: busybox-recipe, namespace: busybox}
            spec:
              appType: busybox
              groups:
              - {name: config, type: resource, includedResourceTypes: [configmap, secret]}
              volumes: {name: data, type: volume, labelSelector: {matchLabels: {appname: busybox}}}
              hooks:
              - name: db
                type: exec
                namespace: busybox
                labelSelector: {matchLabels: {app: db}}
                timeout: 30
                ops:
                - {name: freeze, container: db, command: '["/bin/sh","-c","sync"]', inverseOp: thaw}
              workflows:
              - name: backup
                sequence: [{hook: db/freeze}, {group: config}]
                failOn: any-error
            """,
            Recipe.class);
    assertThat(recipe.getSpec().getHooks().get(0).getAdditionalProperties()).containsEntry("type", "exec");
    assertThat(recipe.getSpec().getWorkflows().get(0).getSequence().get(0)).containsEntry("hook", "db/freeze");
  }

  @Test
  void fieldsOfANewerUpstreamCrdAreKeptAndWrittenBack() {
    String yaml =
        """
        apiVersion: replication.storage.openshift.io/v1alpha1
        kind: VolumeReplication
        metadata: {name: data, namespace: app}
        spec:
          volumeReplicationClass: rbd-1m
          replicationState: primary
          dataSource: {kind: PersistentVolumeClaim, name: data}
          autoResync: false
          fieldFromTheFuture: x
        status:
          state: Primary
          anotherNewField: 1
          conditions:
          - {type: Completed, status: "True", reason: Promoted, message: ok, lastTransitionTime: "2026-12-03T10:00:00Z", severity: Info}
        """;
    VolumeReplication vr = serialization.unmarshal(yaml, VolumeReplication.class);
    assertThat(vr.getSpec().getVolumeReplicationClass()).isEqualTo("rbd-1m");
    assertThat(vr.getSpec().getAdditionalProperties()).containsEntry("fieldFromTheFuture", "x");
    assertThat(unknownFields(vr)).hasSize(3);
    Map<?, ?> written = serialization.unmarshal(serialization.asJson(vr), Map.class);
    assertThat(written).isEqualTo(serialization.unmarshal(yaml, Map.class));
  }

  /**
   * Paths of values that landed in an {@code additionalProperties} map of a typed class: a field the
   * CRD copy does not declare. Free-form classes (only additional properties) and generic resources
   * are not counted.
   */
  static List<String> unknownFields(Object model) {
    List<String> found = new ArrayList<>();
    walk(model, "", found);
    return found;
  }

  private static void walk(Object node, String path, List<String> found) {
    if (node == null) {
      return;
    }
    if (node instanceof List<?> list) {
      for (int i = 0; i < list.size(); i++) {
        walk(list.get(i), path + "[" + i + "]", found);
      }
      return;
    }
    if (node instanceof Map<?, ?> map) {
      map.forEach((k, v) -> walk(v, path + "." + k, found));
      return;
    }
    String pkg = node.getClass().getPackageName();
    boolean model =
        pkg.startsWith("io.openshift.")
            || pkg.startsWith("io.open_cluster_management.")
            || pkg.startsWith("io.k8s.")
            || pkg.startsWith("io.fabric8.kubernetes.api.model");
    if (!model || node instanceof GenericKubernetesResource || node instanceof Enum<?>) {
      return;
    }
    List<Method> getters =
        Arrays.stream(node.getClass().getMethods())
            .filter(m -> m.getParameterCount() == 0 && m.getName().startsWith("get"))
            .filter(m -> !Modifier.isStatic(m.getModifiers()))
            .filter(m -> m.getDeclaringClass() != Object.class)
            .toList();
    boolean freeForm =
        getters.stream().allMatch(m -> m.getName().equals("getAdditionalProperties"));
    for (Method getter : getters) {
      Object value;
      try {
        value = getter.invoke(node);
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException(getter.toString(), e);
      }
      if (getter.getName().equals("getAdditionalProperties")) {
        if (!freeForm && value instanceof Map<?, ?> extra) {
          extra.keySet().forEach(k -> found.add(path + "." + k));
        }
      } else {
        walk(value, path + "." + getter.getName().substring(3), found);
      }
    }
  }
}
