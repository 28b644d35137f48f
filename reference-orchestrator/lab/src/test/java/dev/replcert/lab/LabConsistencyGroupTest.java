package dev.replcert.lab;

import static dev.replcert.lab.LabDr.check;
import static dev.replcert.lab.LabOrchestratorTest.CLASS_LABEL;
import static dev.replcert.lab.LabOrchestratorTest.NS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.replcert.api.k8s.Ramen;
import dev.replcert.harness.spi.Environment;
import dev.replcert.orchestrator.s3.S3Keys;
import dev.replcert.refdriver.DriverOptions;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.storage.StorageClassBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.openshift.ramendr.v1alpha1.DRPlacementControl;
import io.openshift.ramendr.v1alpha1.DRPlacementControlSpec.Action;
import io.openshift.ramendr.v1alpha1.VolumeReplicationGroup;
import io.openshift.ramendr.v1alpha1.volumereplicationgroupstatus.ProtectedPVCs;
import io.openshift.storage.replication.v1alpha1.VolumeGroupReplication;
import io.openshift.storage.replication.v1alpha1.VolumeGroupReplicationClass;
import io.openshift.storage.replication.v1alpha1.VolumeGroupReplicationClassSpec;
import io.openshift.storage.replication.v1alpha1.VolumeGroupReplicationContent;
import io.openshift.storage.replication.v1alpha1.VolumeReplication;
import io.openshift.storage.replication.v1alpha1.VolumeReplicationClass;
import io.openshift.storage.replication.v1alpha1.VolumeReplicationClassSpec;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Consistency groups through the bundled orchestrator (Ramen's {@code is-cg-enabled}): a DRPC
 * annotated for them protects its two claims with one VolumeGroupReplication on east, whose VGR and
 * content land in both S3 stores; a relocate restores them on west as they were, so the same group
 * of the driver turns primary there, and east's VGR goes once its group is demoted.
 */
class LabConsistencyGroupTest {

  private static final String APP = LabDrpcDefectTest.APP;
  private static final String REPLICATION_ID = "rid-lab";
  private static final String VGR = REPLICATION_ID + APP;
  private static final Duration WAIT = Duration.ofSeconds(40);
  private static final KubernetesSerialization JSON = new KubernetesSerialization();

  @Test
  void aConsistencyGroupIsProtectedByOneVgrAndMovesToTheOtherClusterAsTheSameGroup() {
    try (Environment lab = LabEnvironmentTest.start(Map.of())) {
      LabOrchestratorTest.Lab l = new LabOrchestratorTest.Lab(lab);
      KubernetesClient east = l.east;
      KubernetesClient west = lab.client(KubernetesClient.class, Optional.of("west")).orElseThrow();
      classes(lab);
      l.claim("db");
      l.claim("log");
      LabDrpcDefectTest.protect(l.hub, Map.of("drplacementcontrol.ramendr.openshift.io/is-cg-enabled", "true"));

      AtomicReference<String> seen = new AtomicReference<>();
      check("east's VRG Primary with db and log DataReady through one VGR " + VGR, WAIT, seen,
          () -> protectedByGroup(east, seen));
      assertThat(east.resources(VolumeReplication.class).inNamespace(NS).list().getItems())
          .extracting(v -> v.getSpec().getDataSource().getKind())
          .as("no VolumeReplication per claim: only the group's")
          .containsExactly("VolumeGroupReplication");
      for (String claim : List.of("db", "log")) {
        assertThat(east.persistentVolumeClaims().inNamespace(NS).withName(claim).get().getMetadata().getLabels())
            .containsEntry("ramendr.openshift.io/consistency-group", "store-east");
      }
      VolumeGroupReplication vgr = east.resources(VolumeGroupReplication.class).inNamespace(NS).withName(VGR).get();
      VolumeGroupReplicationContent content = east.resources(VolumeGroupReplicationContent.class)
          .withName(vgr.getSpec().getVolumeGroupReplicationContentName()).get();
      String group = content.getSpec().getVolumeGroupReplicationHandle();
      assertThat(group).as("the driver's group id").isNotBlank();
      for (String site : LabEnvironment.SITES) {
        check("the VGR and its content in " + site + "'s S3", WAIT, seen, () -> {
          try {
            VolumeGroupReplicationContent stored = l.s3Object(site,
                S3Keys.vgrContent(NS, APP, content.getMetadata().getName()), VolumeGroupReplicationContent.class);
            VolumeGroupReplication storedVgr = l.s3Object(site, S3Keys.vgr(NS, APP, NS, VGR),
                VolumeGroupReplication.class);
            seen.set(JSON.asJson(stored.getSpec()) + " " + JSON.asJson(storedVgr.getSpec()));
            return group.equals(stored.getSpec().getVolumeGroupReplicationHandle())
                && stored.getSpec().getSource().getVolumeHandles().size() == 2
                && VGR.equals(storedVgr.getMetadata().getName());
          } catch (RuntimeException e) {
            seen.set(e.toString());
            return false;
          }
        });
      }

      LabDr.act(l.hub, Action.RELOCATE, "west");
      // the application's delivery: once the placement is cleared the app leaves east
      check("DRPC Relocating/EnsuringVolumesAreSecondary", WAIT, seen, () -> {
        var s = LabDrpcDefectTest.drpc(l.hub).getStatus();
        seen.set(JSON.asJson(s));
        return "EnsuringVolumesAreSecondary".equals(s.getProgression()) || "Relocated".equals(s.getPhase());
      });
      east.persistentVolumeClaims().inNamespace(NS).withName("db").delete();
      east.persistentVolumeClaims().inNamespace(NS).withName("log").delete();

      check("DRPC Relocated/Completed", Duration.ofSeconds(90), seen, () -> {
        var s = LabDrpcDefectTest.drpc(l.hub).getStatus();
        VolumeReplicationGroup eastVrg = east.resources(VolumeReplicationGroup.class).inNamespace(NS).withName(APP).get();
        seen.set(JSON.asJson(s) + "\neast VRG " + (eastVrg == null ? null : JSON.asJson(eastVrg.getStatus()))
            + "\neast VGR " + JSON.asJson(east.resources(VolumeGroupReplication.class).inNamespace(NS).withName(VGR).get()));
        return "Relocated".equals(s.getPhase()) && "Completed".equals(s.getProgression());
      });
      check("west's VRG Primary with db and log through the restored VGR", WAIT, seen,
          () -> protectedByGroup(west, seen));
      VolumeGroupReplication westVgr = west.resources(VolumeGroupReplication.class).inNamespace(NS).withName(VGR).get();
      assertThat(west.resources(VolumeGroupReplicationContent.class)
              .withName(westVgr.getSpec().getVolumeGroupReplicationContentName()).get()
              .getSpec().getVolumeGroupReplicationHandle())
          .as("west's VGR uses the same group of the driver")
          .isEqualTo(group);
      check("east's VGR gone once its group is demoted", WAIT, seen, () -> {
        VolumeGroupReplication gone = east.resources(VolumeGroupReplication.class).inNamespace(NS).withName(VGR).get();
        seen.set(gone == null ? "gone" : JSON.asJson(gone));
        return gone == null;
      });
    }
  }

  /** The VRG is Primary, both claims DataReady, and the VGR lists both with its VR Completed. */
  private static boolean protectedByGroup(KubernetesClient cluster, AtomicReference<String> seen) {
    VolumeReplicationGroup vrg = cluster.resources(VolumeReplicationGroup.class).inNamespace(NS).withName(APP).get();
    VolumeGroupReplication vgr = cluster.resources(VolumeGroupReplication.class).inNamespace(NS).withName(VGR).get();
    seen.set("VRG " + (vrg == null ? null : JSON.asJson(vrg.getStatus())) + "\nVGR "
        + (vgr == null ? null : JSON.asJson(vgr)));
    if (vrg == null || vrg.getStatus() == null || vgr == null || vgr.getStatus() == null) {
      return false;
    }
    List<ProtectedPVCs> pvcs = vrg.getStatus().getProtectedPVCs();
    return "Primary".equals(vrg.getStatus().getState())
        && pvcs != null && pvcs.size() == 2
        && pvcs.stream().allMatch(p -> p.getConditions().stream()
            .anyMatch(c -> "DataReady".equals(c.getType()) && "True".equals(c.getStatus())))
        && vgr.getStatus().getPersistentVolumeClaimsRefList() != null
        && vgr.getStatus().getPersistentVolumeClaimsRefList().size() == 2
        && "Primary".equals(vgr.getStatus().getState());
  }

  /**
   * On both sites: StorageClass {@code refdriver} with a storage id of its own, and the 1m
   * replication and group replication classes with one replication id.
   */
  private static void classes(Environment lab) {
    for (String site : LabEnvironment.SITES) {
      KubernetesClient cluster = lab.client(KubernetesClient.class, Optional.of(site)).orElseThrow();
      cluster.storage().v1().storageClasses().resource(new StorageClassBuilder()
              .withNewMetadata().withName("refdriver").addToLabels(Ramen.STORAGE_ID_LABEL, "store-" + site).endMetadata()
              .withProvisioner(DriverOptions.DRIVER_NAME)
              .withReclaimPolicy("Delete")
              .withVolumeBindingMode("Immediate")
              .build())
          .create();
      Map<String, String> labels = Map.of(CLASS_LABEL, "lab-1m", Ramen.REPLICATION_ID_LABEL, REPLICATION_ID);
      VolumeReplicationClass vrc = new VolumeReplicationClass();
      vrc.getMetadata().setName("vrc-1m");
      vrc.getMetadata().setLabels(labels);
      VolumeReplicationClassSpec spec = new VolumeReplicationClassSpec();
      spec.setProvisioner(DriverOptions.DRIVER_NAME);
      spec.setParameters(Map.of("schedulingInterval", "1m"));
      vrc.setSpec(spec);
      cluster.resource(vrc).create();
      VolumeGroupReplicationClass vgrc = new VolumeGroupReplicationClass();
      vgrc.getMetadata().setName("vgrc-1m");
      vgrc.getMetadata().setLabels(labels);
      VolumeGroupReplicationClassSpec groupSpec = new VolumeGroupReplicationClassSpec();
      groupSpec.setProvisioner(DriverOptions.DRIVER_NAME);
      groupSpec.setParameters(Map.of("schedulingInterval", "1m"));
      vgrc.setSpec(groupSpec);
      cluster.resource(vgrc).create();
    }
  }
}
