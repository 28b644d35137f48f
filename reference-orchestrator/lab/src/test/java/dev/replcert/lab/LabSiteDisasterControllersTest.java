package dev.replcert.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.replcert.harness.spi.DisasterInjector;
import dev.replcert.harness.spi.Environment;
import dev.replcert.lab.substrate.kubelet.Kubelet;
import dev.replcert.refdriver.DriverOptions;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.storage.StorageClassBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.openshift.storage.replication.v1alpha1.VolumeReplication;
import io.openshift.storage.replication.v1alpha1.VolumeReplicationClass;
import io.openshift.storage.replication.v1alpha1.VolumeReplicationClassSpec;
import io.openshift.storage.replication.v1alpha1.VolumeReplicationSpec;
import io.openshift.storage.replication.v1alpha1.VolumeReplicationSpec.ReplicationState;
import io.openshift.storage.replication.v1alpha1.volumereplicationspec.DataSource;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A site's controllers (provisioner, kubelet, csi-addons) run in its cluster: they go down with the
 * site and come back with it, and work on what the cluster holds then.
 */
class LabSiteDisasterControllersTest {

  private static final String NS = "app";
  private static final Duration BIND = Duration.ofSeconds(30);
  private static final Duration POLL = Duration.ofMillis(200);

  @Test
  void aDownedSitesControllersComeBackWithItAndFailWhatDiedWithThem() {
    try (Environment lab = LabEnvironmentTest.start(Map.of())) {
      DisasterInjector disasters = lab.client(DisasterInjector.class, Optional.empty()).orElseThrow();
      KubernetesClient east = lab.client(KubernetesClient.class, Optional.of("east")).orElseThrow();
      KubernetesClient hub = lab.client(KubernetesClient.class, Optional.of("hub")).orElseThrow();
      storageClass(east);
      claim(east, "before");
      awaitBound(east, "before");
      east.pods().inNamespace(NS).resource(app("before", "before")).create();
      awaitPhase(east, "before", "Running");

      disasters.takeDown("east");
      disasters.bringUp("east");
      ZonedDateTime cameBack = ZonedDateTime.now();

      // its container died with the old kubelet; restartPolicy Never: not started again
      await("the pod running before the disaster fails, lost")
          .atMost(BIND)
          .pollInterval(POLL)
          .untilAsserted(
              () -> {
                Pod pod = east.pods().inNamespace(NS).withName("before").get();
                assertThat(pod.getStatus().getPhase()).isEqualTo("Failed");
                assertThat(pod.getStatus().getReason()).isEqualTo(Kubelet.LOST_REASON);
              });
      claim(east, "after");
      awaitBound(east, "after");
      east.pods().inNamespace(NS).resource(app("after", "after")).create();
      awaitPhase(east, "after", "Running");
      replicationClass(east);
      replicate(east, "after");
      await("a VolumeReplication created after the site came back completes")
          .atMost(BIND)
          .pollInterval(POLL)
          .untilAsserted(() -> assertThat(conditions(east, "after")).contains("Completed=True/Promoted"));
      // the hub's OCM agents were never down: east's lease is renewed again
      await("east's managed-cluster lease renewed after the site came back")
          .atMost(BIND)
          .pollInterval(POLL)
          .untilAsserted(
              () -> {
                Lease lease = hub.leases().inNamespace("east").withName("managed-cluster-lease").get();
                assertThat(lease.getSpec().getRenewTime()).isAfter(cameBack);
              });
    }
  }

  private static void storageClass(KubernetesClient client) {
    client
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

  private static void claim(KubernetesClient client, String name) {
    client
        .persistentVolumeClaims()
        .inNamespace(NS)
        .resource(
            new PersistentVolumeClaimBuilder()
                .withNewMetadata()
                .withName(name)
                .endMetadata()
                .withNewSpec()
                .withStorageClassName("refdriver")
                .withVolumeMode("Block")
                .withAccessModes("ReadWriteOnce")
                .withNewResources()
                .addToRequests("storage", new Quantity("1Mi"))
                .endResources()
                .endSpec()
                .build())
        .create();
  }

  private static void awaitBound(KubernetesClient client, String name) {
    await("PVC " + name + " Bound")
        .atMost(BIND)
        .pollInterval(POLL)
        .until(
            () -> {
              PersistentVolumeClaim pvc = client.persistentVolumeClaims().inNamespace(NS).withName(name).get();
              return pvc.getStatus() != null && "Bound".equals(pvc.getStatus().getPhase());
            });
  }

  private static void awaitPhase(KubernetesClient client, String name, String phase) {
    await("pod " + name + " " + phase)
        .atMost(BIND)
        .pollInterval(POLL)
        .untilAsserted(
            () -> {
              Pod pod = client.pods().inNamespace(NS).withName(name).get();
              assertThat(pod.getStatus()).as("status of pod " + name).isNotNull();
              assertThat(pod.getStatus().getPhase()).isEqualTo(phase);
            });
  }

  /** An app pod (no program) on the claim; restartPolicy Never, as the harness's pods. */
  private static Pod app(String name, String claim) {
    return new PodBuilder()
        .withNewMetadata()
        .withName(name)
        .endMetadata()
        .withNewSpec()
        .withRestartPolicy("Never")
        .addNewContainer()
        .withName("app")
        .withImage("registry.example/app:1")
        .addNewVolumeDevice()
        .withName("data")
        .withDevicePath("/dev/data")
        .endVolumeDevice()
        .endContainer()
        .addNewVolume()
        .withName("data")
        .withNewPersistentVolumeClaim()
        .withClaimName(claim)
        .endPersistentVolumeClaim()
        .endVolume()
        .endSpec()
        .build();
  }

  private static void replicationClass(KubernetesClient client) {
    VolumeReplicationClass vrc = new VolumeReplicationClass();
    vrc.getMetadata().setName("vrc-1m");
    VolumeReplicationClassSpec spec = new VolumeReplicationClassSpec();
    spec.setProvisioner(DriverOptions.DRIVER_NAME);
    spec.setParameters(Map.of("schedulingInterval", "1m"));
    vrc.setSpec(spec);
    client.resource(vrc).create();
  }

  private static void replicate(KubernetesClient client, String pvc) {
    VolumeReplication vr = new VolumeReplication();
    vr.getMetadata().setName(pvc);
    vr.getMetadata().setNamespace(NS);
    VolumeReplicationSpec spec = new VolumeReplicationSpec();
    spec.setVolumeReplicationClass("vrc-1m");
    spec.setReplicationState(ReplicationState.PRIMARY);
    spec.setAutoResync(false);
    DataSource source = new DataSource();
    source.setKind("PersistentVolumeClaim");
    source.setName(pvc);
    spec.setDataSource(source);
    vr.setSpec(spec);
    client.resource(vr).create();
  }

  private static List<String> conditions(KubernetesClient client, String name) {
    VolumeReplication vr = client.resources(VolumeReplication.class).inNamespace(NS).withName(name).get();
    if (vr.getStatus() == null || vr.getStatus().getConditions() == null) {
      return List.of();
    }
    return vr.getStatus().getConditions().stream()
        .map(c -> c.getType() + "=" + c.getStatus() + "/" + c.getReason())
        .toList();
  }
}
