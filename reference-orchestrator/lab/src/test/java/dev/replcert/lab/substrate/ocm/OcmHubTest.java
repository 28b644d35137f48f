package dev.replcert.lab.substrate.ocm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.replcert.api.k8s.Ocm;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.open_cluster_management.cluster.v1.ManagedCluster;
import io.open_cluster_management.view.v1beta1.ManagedClusterView;
import io.open_cluster_management.work.v1.ManifestWork;
import io.openshift.ramendr.v1alpha1.VolumeReplicationGroup;
import io.openshift.ramendr.v1alpha1.VolumeReplicationGroupStatus;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The lab's OCM against three CRUD mock API servers: hub, east and west. */
class OcmHubTest {

  static final OcmTiming FAST =
      new OcmTiming(Duration.ofMillis(100), Duration.ofMillis(600), Duration.ofMillis(200));
  private static final Duration WAIT = Duration.ofSeconds(15);

  private MockCluster hubServer;
  private MockCluster eastServer;
  private MockCluster westServer;
  private KubernetesClient hub;
  private KubernetesClient east;
  private KubernetesClient west;
  private OcmHub ocm;

  @BeforeEach
  void startClustersAndOcm() {
    hubServer = new MockCluster("hub");
    eastServer = new MockCluster("east");
    westServer = new MockCluster("west");
    hub = hubServer.client();
    east = eastServer.client();
    west = westServer.client();
    ocm = new OcmHub(hub, Map.of("east", east, "west", west), FAST);
    ocm.start();
  }

  @AfterEach
  void stopAll() {
    try {
      if (ocm != null) {
        ocm.close();
      }
    } finally {
      eastServer.close();
      westServer.close();
      hubServer.close();
    }
  }

  @Test
  void managedClustersAreRegisteredAndAvailable() {
    for (String cluster : List.of("east", "west")) {
      assertThat(hub.namespaces().withName(cluster).get()).as("hub namespace " + cluster).isNotNull();
      waitFor("ManagedCluster " + cluster + " available")
          .untilAsserted(() -> assertThat(available(cluster)).hasValueSatisfying(c -> {
            assertThat(c.getStatus()).isEqualTo("True");
            assertThat(c.getReason()).isEqualTo("ManagedClusterAvailable");
          }));
    }
  }

  @Test
  void aWorkAppliesToItsClusterOnlyWithStatusAndFeedback() {
    ManifestWork work = hub.resource(vrgWork("app-app-vrg-mw", "first", null)).create();

    ManifestWork applied = awaitApplied("app-app-vrg-mw", work.getMetadata().getGeneration());

    assertThat(applied.getMetadata().getFinalizers()).contains(ManifestWorkAgent.FINALIZER);
    assertThat(condition(applied.getStatus().getConditions(), "Available").getReason()).isEqualTo("ResourcesAvailable");
    assertThat(condition(applied.getStatus().getConditions(), "Progressing").getStatus()).isEqualTo("False");
    var manifests = applied.getStatus().getResourceStatus().getManifests();
    assertThat(manifests).extracting(m -> m.getResourceMeta().getKind())
        .containsExactly("Namespace", "ConfigMap", "VolumeReplicationGroup");
    var vrgMeta = manifests.get(2).getResourceMeta();
    assertThat(List.of(vrgMeta.getGroup(), vrgMeta.getVersion(), vrgMeta.getResource(), vrgMeta.getName(), vrgMeta.getNamespace()))
        .containsExactly("ramendr.openshift.io", "v1alpha1", "volumereplicationgroups", "app", "app");
    assertThat(vrgMeta.getOrdinal()).isEqualTo(2);
    assertThat(manifests).allSatisfy(m -> {
      assertThat(condition(m.getConditions(), "Applied").getReason()).isEqualTo("AppliedManifestComplete");
      assertThat(condition(m.getConditions(), "Available").getStatus()).isEqualTo("True");
    });
    assertThat(east.namespaces().withName("app").get()).isNotNull();
    ConfigMap cm = east.configMaps().inNamespace("app").withName("settings").get();
    assertThat(cm.getData()).containsEntry("value", "first");
    assertThat(cm.getMetadata().getLabels()).containsEntry("app", "busybox");
    assertThat(west.configMaps().inNamespace("app").withName("settings").get()).as("west gets nothing").isNull();
    assertThat(west.resources(VolumeReplicationGroup.class).inNamespace("app").withName("app").get()).isNull();

    setVrgState(east, "Primary");

    waitFor("feedback of the VRG's status.state")
        .untilAsserted(() -> assertThat(Ocm.feedback(work(hub, "app-app-vrg-mw"), "VolumeReplicationGroup", "app", "state"))
            .contains("Primary"));
    hub.resource(view("app-app-vrg-mcv", "app")).create();
    waitFor("the view's result").untilAsserted(() -> assertThat(vrgIn(view(hub, "app-app-vrg-mcv"))).isNotNull());
    String workVersion = work(hub, "app-app-vrg-mw").getMetadata().getResourceVersion();
    String viewVersion = view(hub, "app-app-vrg-mcv").getMetadata().getResourceVersion();
    String clusterVersion = hub.resources(ManagedCluster.class).withName("east").get().getMetadata().getResourceVersion();
    await("nothing is rewritten while nothing changes")
        .during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(100))
        .until(() -> workVersion.equals(work(hub, "app-app-vrg-mw").getMetadata().getResourceVersion())
            && viewVersion.equals(view(hub, "app-app-vrg-mcv").getMetadata().getResourceVersion())
            && clusterVersion.equals(hub.resources(ManagedCluster.class).withName("east").get().getMetadata().getResourceVersion()));
  }

  @Test
  void changingTheWorkUpdatesTheResourceKeepsItsStatusAndDeletesARemovedManifest() {
    ManifestWork work = hub.resource(vrgWork("app-app-vrg-mw", "first", null)).create();
    awaitApplied("app-app-vrg-mw", work.getMetadata().getGeneration());
    setVrgState(east, "Primary");
    east.configMaps().inNamespace("app").withName("settings").edit(c -> {
      c.getMetadata().getLabels().put("added-on-east", "yes");
      return c;
    });

    ManifestWork changed = hub.resources(ManifestWork.class).inNamespace("east").withName("app-app-vrg-mw").edit(w -> {
      var manifests = w.getSpec().getWorkload().getManifests();
      manifests.get(1).setAdditionalProperty("data", Map.of("value", "second"));
      ((Map<String, Object>) manifests.get(2).getAdditionalProperties().get("spec")).put("replicationState", "secondary");
      return w;
    });
    awaitApplied("app-app-vrg-mw", changed.getMetadata().getGeneration());

    ConfigMap cm = east.configMaps().inNamespace("app").withName("settings").get();
    assertThat(cm.getData()).containsEntry("value", "second");
    assertThat(cm.getMetadata().getLabels()).containsEntry("added-on-east", "yes").containsEntry("app", "busybox");
    VolumeReplicationGroup vrg = east.resources(VolumeReplicationGroup.class).inNamespace("app").withName("app").get();
    assertThat(vrg.getSpec().getReplicationState().getValue()).isEqualTo("secondary");
    assertThat(vrg.getStatus().getState()).as("the cluster's status survives the update").isEqualTo("Primary");

    ManifestWork shrunk = hub.resources(ManifestWork.class).inNamespace("east").withName("app-app-vrg-mw").edit(w -> {
      w.getSpec().getWorkload().getManifests().remove(1);
      return w;
    });
    awaitApplied("app-app-vrg-mw", shrunk.getMetadata().getGeneration());
    waitFor("the removed ConfigMap deleted on east")
        .untilAsserted(() -> assertThat(east.configMaps().inNamespace("app").withName("settings").get()).isNull());
    assertThat(work(hub, "app-app-vrg-mw").getStatus().getResourceStatus().getManifests())
        .extracting(m -> m.getResourceMeta().getKind()).containsExactly("Namespace", "VolumeReplicationGroup");
  }

  @Test
  void deletingAWorkDeletesItsResources() {
    ManifestWork work = hub.resource(vrgWork("app-app-vrg-mw", "first", null)).create();
    awaitApplied("app-app-vrg-mw", work.getMetadata().getGeneration());

    hub.resources(ManifestWork.class).inNamespace("east").withName("app-app-vrg-mw").delete();

    waitFor("the work gone once its resources are").untilAsserted(() -> assertThat(work(hub, "app-app-vrg-mw")).isNull());
    assertThat(east.configMaps().inNamespace("app").withName("settings").get()).isNull();
    assertThat(east.resources(VolumeReplicationGroup.class).inNamespace("app").withName("app").get()).isNull();
    assertThat(east.namespaces().withName("app").get()).isNull();
  }

  @Test
  void deletingAnOrphaningWorkKeepsItsResources() {
    ManifestWork work = hub.resource(vrgWork("app-app-vrg-mw", "first", "Orphan")).create();
    awaitApplied("app-app-vrg-mw", work.getMetadata().getGeneration());

    hub.resources(ManifestWork.class).inNamespace("east").withName("app-app-vrg-mw").delete();

    waitFor("the work gone").untilAsserted(() -> assertThat(work(hub, "app-app-vrg-mw")).isNull());
    assertThat(east.configMaps().inNamespace("app").withName("settings").get()).isNotNull();
    assertThat(east.resources(VolumeReplicationGroup.class).inNamespace("app").withName("app").get()).isNotNull();
  }

  @Test
  void aViewReturnsTheResourceWithItsStatusAndFollowsIt() {
    ManifestWork work = hub.resource(vrgWork("app-app-vrg-mw", "first", null)).create();
    awaitApplied("app-app-vrg-mw", work.getMetadata().getGeneration());
    setVrgState(east, "Primary");
    hub.resource(view("app-app-vrg-mcv", "app")).create();

    waitFor("the view's result with the VRG's state").untilAsserted(() -> {
      ManagedClusterView view = view(hub, "app-app-vrg-mcv");
      assertThat(view.getStatus()).isNotNull();
      assertThat(condition(view.getStatus().getConditions(), Ocm.VIEW_CONDITION_PROCESSING))
          .satisfies(c -> {
            assertThat(c.getStatus()).isEqualTo("True");
            assertThat(c.getReason()).isEqualTo("GetResourceProcessing");
          });
      assertThat(vrgIn(view).getStatus().getState()).isEqualTo("Primary");
    });

    setVrgState(east, "Secondary");

    waitFor("the view follows the VRG's status")
        .untilAsserted(() -> assertThat(vrgIn(view(hub, "app-app-vrg-mcv")).getStatus().getState()).isEqualTo("Secondary"));
  }

  @Test
  void aViewFollowsAChangeOfItsResourceWithoutWaitingForTheResync() {
    ocm.close();
    ocm = new OcmHub(hub, Map.of("east", east, "west", west),
        new OcmTiming(FAST.heartbeat(), FAST.leaseGrace(), Duration.ofMinutes(5)));
    ocm.start();
    VolumeReplicationGroup vrg = hub.getKubernetesSerialization().convertValue(
        vrgWork("unused", "x", null).getSpec().getWorkload().getManifests().get(2), VolumeReplicationGroup.class);
    east.resource(vrg).create();
    setVrgState(east, "Primary");
    hub.resource(view("app-app-vrg-mcv", "app")).create();
    waitFor("the view's first result").untilAsserted(() -> assertThat(vrgIn(view(hub, "app-app-vrg-mcv")).getStatus().getState()).isEqualTo("Primary"));

    setVrgState(east, "Secondary");

    await("the view follows the change long before the 5 minute resync")
        .atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50))
        .untilAsserted(() -> assertThat(vrgIn(view(hub, "app-app-vrg-mcv")).getStatus().getState()).isEqualTo("Secondary"));
  }

  @Test
  void aViewOfAMissingResourceSaysSoAndHasNoResult() {
    hub.resource(view("missing-mcv", "nothing-here")).create();

    waitFor("the view reports the resource missing").untilAsserted(() -> {
      ManagedClusterView view = view(hub, "missing-mcv");
      assertThat(view.getStatus()).isNotNull();
      Condition processing = condition(view.getStatus().getConditions(), Ocm.VIEW_CONDITION_PROCESSING);
      assertThat(processing.getStatus()).isEqualTo("False");
      assertThat(processing.getReason()).isEqualTo("GetResourceFailed");
      assertThat(processing.getMessage()).contains("\"nothing-here\" not found");
      assertThat(view.getStatus().getResult()).isNull();
    });
  }

  @Test
  void aDownedClusterGoesUnknownKeepsItsWorkStatusAndConvergesWhenBack() {
    ManifestWork work = hub.resource(vrgWork("app-app-vrg-mw", "first", null)).create();
    awaitApplied("app-app-vrg-mw", work.getMetadata().getGeneration());
    waitFor("east available").untilAsserted(() -> assertThat(available("east")).hasValueSatisfying(c -> assertThat(c.getStatus()).isEqualTo("True")));

    eastServer.stop();

    waitFor("east's availability Unknown").untilAsserted(() -> assertThat(available("east")).hasValueSatisfying(c -> {
      assertThat(c.getStatus()).isEqualTo("Unknown");
      assertThat(c.getReason()).isEqualTo("ManagedClusterLeaseUpdateStopped");
    }));
    assertThat(available("west")).hasValueSatisfying(c -> assertThat(c.getStatus()).isEqualTo("True"));
    ManifestWork changed = hub.resources(ManifestWork.class).inNamespace("east").withName("app-app-vrg-mw").edit(w -> {
      w.getSpec().getWorkload().getManifests().get(1).setAdditionalProperty("data", Map.of("value", "while-down"));
      return w;
    });
    ManifestWork whileDown = work(hub, "app-app-vrg-mw");
    assertThat(condition(whileDown.getStatus().getConditions(), "Applied"))
        .as("the work keeps its last status")
        .satisfies(c -> {
          assertThat(c.getStatus()).isEqualTo("True");
          assertThat(c.getObservedGeneration()).isEqualTo(work.getMetadata().getGeneration());
        });

    eastServer.start();

    awaitApplied("app-app-vrg-mw", changed.getMetadata().getGeneration());
    assertThat(east.configMaps().inNamespace("app").withName("settings").get().getData()).containsEntry("value", "while-down");
    waitFor("east available again").untilAsserted(() -> assertThat(available("east")).hasValueSatisfying(c -> assertThat(c.getStatus()).isEqualTo("True")));
  }

  @Test
  void aClusterThatNeverAnsweredIsUnknownOnceTheGracePassed() {
    ocm.close();
    try (MockCluster gone = new MockCluster("gone")) {
      gone.stop();
      ocm = new OcmHub(hub, Map.of("east", east, "gone", gone.client()), FAST);
      ocm.start();

      waitFor("gone Unknown").untilAsserted(() -> assertThat(available("gone"))
          .hasValueSatisfying(c -> assertThat(c.getStatus()).isEqualTo("Unknown")));
      waitFor("east True").untilAsserted(() -> assertThat(available("east"))
          .hasValueSatisfying(c -> assertThat(c.getStatus()).isEqualTo("True")));
    }
  }

  @Test
  void aCreateOnlyManifestIsNotUpdated() {
    ManifestWork work = vrgWork("app-app-vrg-mw", "first", null);
    var createOnly = hub.getKubernetesSerialization().unmarshal("""
        resourceIdentifier: {resource: configmaps, name: settings, namespace: app}
        updateStrategy: {type: CreateOnly}
        """, io.open_cluster_management.work.v1.manifestworkspec.ManifestConfigs.class);
    work.getSpec().getManifestConfigs().add(createOnly);
    work = hub.resource(work).create();
    awaitApplied("app-app-vrg-mw", work.getMetadata().getGeneration());

    ManifestWork changed = hub.resources(ManifestWork.class).inNamespace("east").withName("app-app-vrg-mw").edit(w -> {
      w.getSpec().getWorkload().getManifests().get(1).setAdditionalProperty("data", Map.of("value", "second"));
      return w;
    });
    awaitApplied("app-app-vrg-mw", changed.getMetadata().getGeneration());

    assertThat(east.configMaps().inNamespace("app").withName("settings").get().getData()).containsEntry("value", "first");
  }

  @Test
  @SuppressWarnings("unchecked")
  void aFieldAnotherControllerSetSurvivesTheResyncUntilTheManifestChanges() {
    ManifestWork work = hub.resource(vrgWork("app-app-vrg-mw", "first", null)).create();
    awaitApplied("app-app-vrg-mw", work.getMetadata().getGeneration());
    assertThat(east.configMaps().inNamespace("app").withName("settings").get().getMetadata().getAnnotations())
        .containsKey(ManifestWorkAgent.OBJECT_HASH);
    // As a scheduler sets a pod's spec.nodeName: fields of the applied object another actor owns.
    east.configMaps().inNamespace("app").withName("settings").edit(c -> {
      c.getData().put("value", "set-on-east");
      c.getData().put("extra", "set-on-east");
      return c;
    });

    ManifestWork vrgChanged = hub.resources(ManifestWork.class).inNamespace("east").withName("app-app-vrg-mw").edit(w -> {
      var manifests = w.getSpec().getWorkload().getManifests();
      ((Map<String, Object>) manifests.get(2).getAdditionalProperties().get("spec")).put("replicationState", "secondary");
      return w;
    });
    awaitApplied("app-app-vrg-mw", vrgChanged.getMetadata().getGeneration());
    assertThat(east.resources(VolumeReplicationGroup.class).inNamespace("app").withName("app").get().getSpec()
        .getReplicationState().getValue()).as("the changed manifest is re-applied").isEqualTo("secondary");
    await("the east change survives resyncs of an unchanged manifest")
        .during(OcmHubTest.FAST.resync().multipliedBy(4)).atMost(WAIT).pollInterval(Duration.ofMillis(50))
        .untilAsserted(() -> assertThat(east.configMaps().inNamespace("app").withName("settings").get().getData())
            .containsEntry("value", "set-on-east").containsEntry("extra", "set-on-east"));

    ManifestWork cmChanged = hub.resources(ManifestWork.class).inNamespace("east").withName("app-app-vrg-mw").edit(w -> {
      w.getSpec().getWorkload().getManifests().get(1).setAdditionalProperty("data", Map.of("value", "second"));
      return w;
    });
    awaitApplied("app-app-vrg-mw", cmChanged.getMetadata().getGeneration());
    waitFor("the changed ConfigMap manifest re-applied whole")
        .untilAsserted(() -> assertThat(east.configMaps().inNamespace("app").withName("settings").get().getData())
            .isEqualTo(Map.of("value", "second")));
  }

  @Test
  void closeStopsEveryThreadAndANewHubCarriesOn() {
    ManifestWork work = hub.resource(vrgWork("app-app-vrg-mw", "first", null)).create();
    awaitApplied("app-app-vrg-mw", work.getMetadata().getGeneration());

    ocm.close();

    // A pool's worker thread is still alive for a moment after awaitTermination returned.
    waitFor("every ocm- thread ended after close").untilAsserted(() ->
        assertThat(Thread.getAllStackTraces().keySet()).extracting(Thread::getName).noneMatch(n -> n.startsWith("ocm-")));
    ocm = new OcmHub(hub, Map.of("east", east, "west", west), FAST);
    ocm.start();
    ManifestWork changed = hub.resources(ManifestWork.class).inNamespace("east").withName("app-app-vrg-mw").edit(w -> {
      w.getSpec().getWorkload().getManifests().get(1).setAdditionalProperty("data", Map.of("value", "after-restart"));
      return w;
    });
    awaitApplied("app-app-vrg-mw", changed.getMetadata().getGeneration());
    assertThat(east.configMaps().inNamespace("app").withName("settings").get().getData()).containsEntry("value", "after-restart");
  }

  // --- helpers

  private ManifestWork awaitApplied(String name, Long generation) {
    waitFor("work " + name + " applied at generation " + generation).untilAsserted(() -> {
      ManifestWork w = work(hub, name);
      assertThat(w.getStatus()).as("status").isNotNull();
      Condition applied = condition(w.getStatus().getConditions(), "Applied");
      assertThat(applied.getStatus()).isEqualTo("True");
      assertThat(applied.getReason()).isEqualTo("AppliedManifestWorkComplete");
      assertThat(applied.getObservedGeneration()).isEqualTo(generation);
      Condition available = condition(w.getStatus().getConditions(), "Available");
      assertThat(available.getStatus()).isEqualTo("True");
      assertThat(available.getObservedGeneration()).isEqualTo(generation);
    });
    return work(hub, name);
  }

  private Optional<Condition> available(String cluster) {
    ManagedCluster managed = hub.resources(ManagedCluster.class).withName(cluster).get();
    if (managed == null || managed.getStatus() == null) {
      return Optional.empty();
    }
    return Conditions.find(managed.getStatus().getConditions(), ClusterAvailability.AVAILABLE);
  }

  private static Condition condition(List<Condition> conditions, String type) {
    return Conditions.find(conditions, type).orElseThrow(() -> new AssertionError("no condition " + type + " in " + conditions));
  }

  private static ManifestWork work(KubernetesClient hub, String name) {
    return hub.resources(ManifestWork.class).inNamespace("east").withName(name).get();
  }

  private static ManagedClusterView view(KubernetesClient hub, String name) {
    return hub.resources(ManagedClusterView.class).inNamespace("east").withName(name).get();
  }

  private VolumeReplicationGroup vrgIn(ManagedClusterView view) {
    assertThat(view).as("view").isNotNull();
    assertThat(view.getStatus()).as("view status").isNotNull();
    assertThat(view.getStatus().getResult()).as("view result").isNotNull();
    return hub.getKubernetesSerialization().convertValue(view.getStatus().getResult(), VolumeReplicationGroup.class);
  }

  private static void setVrgState(KubernetesClient cluster, String state) {
    cluster.resources(VolumeReplicationGroup.class).inNamespace("app").withName("app").editStatus(v -> {
      VolumeReplicationGroupStatus status = new VolumeReplicationGroupStatus();
      status.setState(state);
      v.setStatus(status);
      return v;
    });
  }

  private ManifestWork vrgWork(String name, String value, String propagation) {
    String yaml = """
        apiVersion: work.open-cluster-management.io/v1
        kind: ManifestWork
        metadata:
          name: %s
          namespace: east
        spec:
          %s
          workload:
            manifests:
            - apiVersion: v1
              kind: Namespace
              metadata: {name: app}
            - apiVersion: v1
              kind: ConfigMap
              metadata:
                name: settings
                namespace: app
                labels: {app: busybox}
              data: {value: %s}
            - apiVersion: ramendr.openshift.io/v1alpha1
              kind: VolumeReplicationGroup
              metadata: {name: app, namespace: app}
              spec:
                pvcSelector: {matchLabels: {app: busybox}}
                replicationState: primary
                s3Profiles: [s3-east]
                async: {schedulingInterval: 1m}
          manifestConfigs:
          - resourceIdentifier: {group: ramendr.openshift.io, resource: volumereplicationgroups, name: app, namespace: app}
            feedbackRules:
            - type: JSONPaths
              jsonPaths:
              - {name: state, path: .status.state}
        """.formatted(name, propagation == null ? "" : "deleteOption: {propagationPolicy: " + propagation + "}", value);
    return hub.getKubernetesSerialization().unmarshal(yaml, ManifestWork.class);
  }

  private ManagedClusterView view(String name, String vrgName) {
    String yaml = """
        apiVersion: view.open-cluster-management.io/v1beta1
        kind: ManagedClusterView
        metadata: {name: %s, namespace: east}
        spec:
          scope: {apiGroup: ramendr.openshift.io, version: v1alpha1, kind: VolumeReplicationGroup, name: %s, namespace: app}
        """.formatted(name, vrgName);
    return hub.getKubernetesSerialization().unmarshal(yaml, ManagedClusterView.class);
  }

  private static ConditionFactory waitFor(String what) {
    return await(what).atMost(WAIT).pollInterval(Duration.ofMillis(50));
  }
}
