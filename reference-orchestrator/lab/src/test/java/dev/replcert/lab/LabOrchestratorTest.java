package dev.replcert.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.replcert.harness.config.S3Profile;
import dev.replcert.harness.spi.DisasterInjector;
import dev.replcert.harness.spi.Environment;
import dev.replcert.harness.spi.OrchestratorControl;
import dev.replcert.orchestrator.s3.ObjectStore;
import dev.replcert.orchestrator.s3.S3Keys;
import dev.replcert.orchestrator.s3.S3Profiles;
import dev.replcert.orchestrator.s3.S3StoreProfile;
import dev.replcert.refdriver.DriverOptions;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.storage.StorageClassBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.open_cluster_management.cluster.v1.ManagedCluster;
import io.open_cluster_management.view.v1beta1.ManagedClusterView;
import io.open_cluster_management.work.v1.ManifestWork;
import io.openshift.ramendr.v1alpha1.VolumeReplicationGroup;
import io.openshift.ramendr.v1alpha1.volumereplicationgroupstatus.ProtectedPVCs;
import io.openshift.storage.replication.v1alpha1.VolumeReplication;
import io.openshift.storage.replication.v1alpha1.VolumeReplicationClass;
import io.openshift.storage.replication.v1alpha1.VolumeReplicationClassSpec;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The lab runs the bundled orchestrator: a VRG delivered from the hub by ManifestWork is
 * reconciled on east by Ramen's DR-cluster controllers through the lab's provisioner, csi-addons
 * controller and driver, its PV/PVC metadata lands in both sites' S3, and the hub reads it back by
 * ManagedClusterView. The orchestrator survives being killed and restarted, and a site disaster.
 * No DRPlacementControl here: the test plays the hub's part by writing the work itself.
 */
class LabOrchestratorTest {

  static final String NS = "app";
  private static final String VRG = "app";
  private static final String WORK = "app-app-vrg-mw";
  private static final String VIEW = "app-app-vrg-mcv";
  static final String CLASS_LABEL = "replcert.dev/replication-class";
  private static final Duration WAIT = Duration.ofSeconds(20);

  @Test
  void aVrgDeliveredFromTheHubIsProtectedToBothStoresAndSurvivesAnOrchestratorRestart() {
    try (Environment lab = LabEnvironmentTest.start(Map.of())) {
      Lab l = new Lab(lab);
      assertThat(S3Profiles.fromRamenConfigMap(l.east, "ramen-system", S3Profiles.RAMEN_CONFIG_MAP).find("s3-west"))
          .as("east's Ramen config lists west's S3 as the lab serves it")
          .contains(ramenProfile(lab, "west"));
      assertThat(S3Profiles.fromRamenConfigMap(l.hub, "ramen-system", "ramen-hub-operator-config").find("s3-east"))
          .contains(ramenProfile(lab, "east"));
      l.protectApp();

      String pv = l.east.persistentVolumeClaims().inNamespace(NS).withName("data").get().getSpec().getVolumeName();
      for (String site : LabEnvironment.SITES) {
        waitFor("the PV and PVC of data in " + site + "'s S3")
            .untilAsserted(
                () -> {
                  PersistentVolume stored = l.s3Object(site, S3Keys.pv(NS, VRG, pv), PersistentVolume.class);
                  PersistentVolume live = l.east.persistentVolumes().withName(pv).get();
                  assertThat(stored.getSpec().getCsi().getVolumeHandle()).isEqualTo(live.getSpec().getCsi().getVolumeHandle());
                  assertThat(stored.getSpec().getClaimRef().getName()).isEqualTo("data");
                  assertThat(stored.getSpec().getPersistentVolumeReclaimPolicy()).isEqualTo("Retain");
                  PersistentVolumeClaim claim =
                      l.s3Object(site, S3Keys.pvc(NS, VRG, NS, "data"), PersistentVolumeClaim.class);
                  assertThat(claim.getMetadata().getLabels()).containsEntry("app", "busybox");
                  assertThat(claim.getSpec().getVolumeName()).isEqualTo(pv);
                });
      }
      l.awaitViewProtects("data");

      OrchestratorControl control = lab.client(OrchestratorControl.class, Optional.empty()).orElseThrow();
      control.stop();
      assertThat(control.running()).isFalse();
      l.claim("data2");
      l.awaitBound("data2");
      await("no VolumeReplication for data2 while the orchestrator is stopped")
          .during(Duration.ofSeconds(2))
          .atMost(Duration.ofSeconds(4))
          .pollInterval(Duration.ofMillis(200))
          .until(() -> l.vr("data2") == null);

      control.start();

      assertThat(control.running()).isTrue();
      l.awaitPrimary("data", "data2");
      String pv2 = l.east.persistentVolumeClaims().inNamespace(NS).withName("data2").get().getSpec().getVolumeName();
      for (String site : LabEnvironment.SITES) {
        waitFor("the PV of data2 in " + site + "'s S3 after the restart")
            .untilAsserted(
                () -> assertThat(l.s3Object(site, S3Keys.pv(NS, VRG, pv2), PersistentVolume.class).getMetadata().getName())
                    .isEqualTo(pv2));
      }
      l.awaitViewProtects("data", "data2");
    }
  }

  @Test
  void aDownedSitesControllersStayDownThroughARestartAndComeBackWithTheSite() {
    try (Environment lab = LabEnvironmentTest.start(Map.of())) {
      Lab l = new Lab(lab);
      l.protectApp();
      DisasterInjector disasters = lab.client(DisasterInjector.class, Optional.empty()).orElseThrow();
      LabOrchestrator orchestrator =
          (LabOrchestrator) lab.client(OrchestratorControl.class, Optional.empty()).orElseThrow();

      disasters.takeDown("east");

      waitFor("east unavailable on the hub").untilAsserted(() -> assertThat(l.available("east")).isEqualTo("Unknown"));
      assertThat(l.available("west")).isEqualTo("True");
      assertThat(orchestrator.sitesRunning()).containsExactly("west");
      orchestrator.stop();
      orchestrator.start();
      assertThat(orchestrator.sitesRunning()).as("a restart does not start a downed site's controllers").containsExactly("west");

      disasters.bringUp("east");

      assertThat(orchestrator.sitesRunning()).containsExactlyInAnyOrder("east", "west");
      waitFor("east available again").untilAsserted(() -> assertThat(l.available("east")).isEqualTo("True"));
      l.claim("data2");
      l.awaitPrimary("data", "data2");
      l.awaitViewProtects("data", "data2");
    }
  }

  @Test
  void theOrchestratorCanBeLeftOutAndIsWithoutTheSubstrate() {
    try (Environment lab = LabEnvironmentTest.start(Map.of(LabSettings.ORCHESTRATOR, "false"))) {
      assertThat(lab.client(OrchestratorControl.class, Optional.empty())).isEmpty();
      KubernetesClient east = lab.client(KubernetesClient.class, Optional.of("east")).orElseThrow();
      assertThat(east.configMaps().inNamespace("ramen-system").withName(S3Profiles.RAMEN_CONFIG_MAP).get()).isNull();
    }
    assertThat(LabSettings.from(k -> Optional.ofNullable(Map.of(LabSettings.SUBSTRATE, "false").get(k))).orchestrator())
        .isFalse();
    assertThat(LabSettings.from(k -> Optional.empty()).orchestrator()).isTrue();
  }

  private static S3StoreProfile ramenProfile(Environment lab, String site) {
    S3Profile served = lab.client(S3Profile.class, Optional.of(site)).orElseThrow();
    return new S3StoreProfile(
        "s3-" + site,
        served.bucket(),
        served.endpoint(),
        served.region(),
        "ramen-system",
        RamenOperatorConfig.secretName(served));
  }

  private static ConditionFactory waitFor(String what) {
    return await(what).atMost(WAIT).pollInterval(Duration.ofMillis(200));
  }

  /** The lab's clusters and S3 and what a test does with them. */
  static final class Lab {

    final Environment env;
    final KubernetesClient hub;
    final KubernetesClient east;

    Lab(Environment env) {
      this.env = env;
      this.hub = env.client(KubernetesClient.class, Optional.of("hub")).orElseThrow();
      this.east = env.client(KubernetesClient.class, Optional.of("east")).orElseThrow();
    }

    /**
     * A StorageClass and a 1m VolumeReplicationClass of the reference driver on both sites, a
     * labelled PVC on east, and from the hub a work carrying the primary VRG and a view of it;
     * returns once the VRG is Primary.
     */
    void protectApp() {
      classes();
      claim("data");
      hub.resource(vrgWork()).create();
      hub.resource(view()).create();
      awaitPrimary("data");
    }

    /**
     * The reference driver's StorageClass {@code refdriver} and VolumeReplicationClass {@code
     * vrc-1m} (labelled {@value #CLASS_LABEL}=lab-1m) on both sites.
     */
    void classes() {
      for (String site : LabEnvironment.SITES) {
        KubernetesClient cluster = env.client(KubernetesClient.class, Optional.of(site)).orElseThrow();
        storageClass(cluster);
        replicationClass(cluster);
      }
    }

    /** The VRG is Primary with DataReady at its generation, and each claim's VR Completed. */
    void awaitPrimary(String... claims) {
      waitFor("VRG " + VRG + " on east Primary with DataReady, VRs of " + List.of(claims) + " Completed")
          .untilAsserted(
              () -> {
                VolumeReplicationGroup vrg = east.resources(VolumeReplicationGroup.class).inNamespace(NS).withName(VRG).get();
                assertThat(vrg).as("VRG delivered to east").isNotNull();
                assertThat(vrg.getStatus()).as("VRG status").isNotNull();
                assertThat(condition(vrg.getStatus().getConditions(), "DataReady"))
                    .satisfies(
                        c -> {
                          assertThat(c.getStatus()).isEqualTo("True");
                          assertThat(c.getObservedGeneration()).isEqualTo(vrg.getMetadata().getGeneration());
                        });
                assertThat(vrg.getStatus().getState()).isEqualTo("Primary");
                for (String claim : claims) {
                  VolumeReplication vr = vr(claim);
                  assertThat(vr).as("VR of " + claim).isNotNull();
                  assertThat(vr.getStatus()).as("status of VR " + claim).isNotNull();
                  assertThat(vr.getSpec().getVolumeReplicationClass()).isEqualTo("vrc-1m");
                  assertThat(condition(vr.getStatus().getConditions(), "Completed"))
                      .as("VR of " + claim + " promoted by the csi-addons controller")
                      .satisfies(
                          c -> {
                            assertThat(c.getStatus()).isEqualTo("True");
                            assertThat(c.getReason()).isEqualTo("Promoted");
                          });
                }
              });
    }

    /** The hub's view of the VRG shows it Primary, protecting exactly {@code claims}. */
    void awaitViewProtects(String... claims) {
      waitFor("the hub's view shows the VRG Primary protecting " + List.of(claims))
          .untilAsserted(
              () -> {
                ManagedClusterView view = hub.resources(ManagedClusterView.class).inNamespace("east").withName(VIEW).get();
                assertThat(view.getStatus()).as("view status").isNotNull();
                assertThat(view.getStatus().getResult()).as("view result").isNotNull();
                VolumeReplicationGroup seen =
                    hub.getKubernetesSerialization().convertValue(view.getStatus().getResult(), VolumeReplicationGroup.class);
                assertThat(seen.getStatus().getState()).isEqualTo("Primary");
                assertThat(seen.getStatus().getProtectedPVCs())
                    .extracting(ProtectedPVCs::getName)
                    .containsExactlyInAnyOrder(claims);
              });
    }

    String available(String cluster) {
      ManagedCluster managed = hub.resources(ManagedCluster.class).withName(cluster).get();
      return managed == null || managed.getStatus() == null
          ? null
          : managed.getStatus().getConditions().stream()
              .filter(c -> c.getType().equals("ManagedClusterConditionAvailable"))
              .map(Condition::getStatus)
              .findFirst()
              .orElse(null);
    }

    VolumeReplication vr(String name) {
      return east.resources(VolumeReplication.class).inNamespace(NS).withName(name).get();
    }

    <T> T s3Object(String site, String key, Class<T> type) {
      S3Client s3 = env.client(S3Client.class, Optional.of(site)).orElseThrow();
      String bucket = env.client(S3Profile.class, Optional.of(site)).orElseThrow().bucket();
      return ObjectStore.decode(s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray(), type);
    }

    /** A 1Mi block claim labelled app=busybox on east. */
    void claim(String name) {
      claim(name, "1Mi");
    }

    /** A block claim of {@code size} labelled app=busybox on east. */
    void claim(String name, String size) {
      east.persistentVolumeClaims()
          .inNamespace(NS)
          .resource(
              new PersistentVolumeClaimBuilder()
                  .withNewMetadata()
                  .withName(name)
                  .addToLabels("app", "busybox")
                  .endMetadata()
                  .withNewSpec()
                  .withStorageClassName("refdriver")
                  .withVolumeMode("Block")
                  .withAccessModes("ReadWriteOnce")
                  .withNewResources()
                  .addToRequests("storage", new Quantity(size))
                  .endResources()
                  .endSpec()
                  .build())
          .create();
    }

    void awaitBound(String name) {
      waitFor("PVC " + name + " Bound")
          .untilAsserted(
              () -> {
                PersistentVolumeClaim pvc = east.persistentVolumeClaims().inNamespace(NS).withName(name).get();
                assertThat(pvc.getStatus()).as("status of " + name).isNotNull();
                assertThat(pvc.getStatus().getPhase()).isEqualTo("Bound");
              });
    }

    private ManifestWork vrgWork() {
      String yaml =
          """
          apiVersion: work.open-cluster-management.io/v1
          kind: ManifestWork
          metadata: {name: %s, namespace: east}
          spec:
            workload:
              manifests:
              - apiVersion: v1
                kind: Namespace
                metadata: {name: %s}
              - apiVersion: ramendr.openshift.io/v1alpha1
                kind: VolumeReplicationGroup
                metadata: {name: %s, namespace: %s}
                spec:
                  pvcSelector: {matchLabels: {app: busybox}}
                  replicationState: primary
                  s3Profiles: [s3-east, s3-west]
                  async:
                    schedulingInterval: 1m
                    replicationClassSelector: {matchLabels: {%s: lab-1m}}
          """
              .formatted(WORK, NS, VRG, NS, CLASS_LABEL);
      return hub.getKubernetesSerialization().unmarshal(yaml, ManifestWork.class);
    }

    private ManagedClusterView view() {
      String yaml =
          """
          apiVersion: view.open-cluster-management.io/v1beta1
          kind: ManagedClusterView
          metadata: {name: %s, namespace: east}
          spec:
            scope: {apiGroup: ramendr.openshift.io, version: v1alpha1, kind: VolumeReplicationGroup, name: %s, namespace: %s}
          """
              .formatted(VIEW, VRG, NS);
      return hub.getKubernetesSerialization().unmarshal(yaml, ManagedClusterView.class);
    }

    private static void storageClass(KubernetesClient cluster) {
      cluster
          .storage()
          .v1()
          .storageClasses()
          .resource(
              new StorageClassBuilder()
                  .withNewMetadata()
                  .withName("refdriver")
                  .endMetadata()
                  .withProvisioner(DriverOptions.DRIVER_NAME)
                  .withReclaimPolicy("Delete")
                  .withVolumeBindingMode("Immediate")
                  .build())
          .create();
    }

    private static void replicationClass(KubernetesClient cluster) {
      VolumeReplicationClass vrc = new VolumeReplicationClass();
      vrc.getMetadata().setName("vrc-1m");
      vrc.getMetadata().setLabels(Map.of(CLASS_LABEL, "lab-1m"));
      VolumeReplicationClassSpec spec = new VolumeReplicationClassSpec();
      spec.setProvisioner(DriverOptions.DRIVER_NAME);
      spec.setParameters(Map.of("schedulingInterval", "1m"));
      vrc.setSpec(spec);
      cluster.resource(vrc).create();
    }

    private static Condition condition(List<Condition> conditions, String type) {
      return Objects.requireNonNullElse(conditions, List.<Condition>of()).stream()
          .filter(c -> c.getType().equals(type))
          .findFirst()
          .orElseThrow(() -> new AssertionError("no condition " + type + " in " + conditions));
    }
  }
}
