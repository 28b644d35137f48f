package dev.replcert.layer1.vr;

import static org.assertj.core.api.Assertions.assertThat;

import dev.replcert.api.k8s.CsiAddons;
import dev.replcert.harness.config.Capability;
import dev.replcert.harness.config.CertificationConfig;
import dev.replcert.harness.config.TimeoutOperation;
import dev.replcert.harness.junit.Certification;
import dev.replcert.harness.junit.PlanItem;
import dev.replcert.harness.junit.RequiresCapability;
import dev.replcert.harness.record.Evidence;
import dev.replcert.harness.spi.DriverEndpoint;
import dev.replcert.harness.spi.Environment;
import dev.replcert.harness.track.ResourceTracker;
import dev.replcert.harness.workload.Verification;
import dev.replcert.harness.workload.WriterReport;
import dev.replcert.layer1.kube.KubeFixture;
import dev.replcert.harness.kube.Claims;
import dev.replcert.layer1.kube.KubeSite;
import dev.replcert.layer1.kube.Stays;
import java.time.Duration;
import dev.replcert.layer1.support.SiteDriver;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.openshift.storage.replication.v1alpha1.VolumeReplicationSpec.ReplicationState;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * What deleting ties together: a claim cannot go while its primary VolumeReplication exists (the
 * pvc-protection finalizer), and deleting the VR disables replication in the driver but leaves the
 * claim bound with its data.
 */
@Certification
class VolumeReplicationDeletionSuite {

  private KubeFixture kube;
  private KubeSite east;
  private SyncWatch sync;
  private Environment environment;
  private CertificationConfig config;
  private ResourceTracker tracker;
  private Duration poll;

  @BeforeEach
  void connect(TestInfo test, Environment environment, CertificationConfig config, ResourceTracker tracker,
      Evidence evidence) {
    kube = new KubeFixture(VolumeReplicationSuite.plan(test), environment, config, tracker, evidence);
    east = kube.east();
    sync = new SyncWatch(kube, config);
    this.environment = environment;
    this.config = config;
    this.tracker = tracker;
    this.poll = config.timeoutProfile().of(TimeoutOperation.POLL);
  }

  @Test
  @PlanItem("L1-VR-006")
  @RequiresCapability(Capability.REPLICATION)
  void aClaimIsNotDeletedWhileItsPrimaryVolumeReplicationExists() {
    PersistentVolumeClaim claim = east.claims().mustCreate("data");
    String handle = east.claims().handle("data");
    east.replications().create("data", ReplicationState.PRIMARY);
    east.replications().awaitPromoted("data");

    east.resources().delete(claim);
    kube.waits().until("PVC east/" + east.namespace() + "/data is marked for deletion", TimeoutOperation.RPC,
        () -> east.claims().get("data"), pvc -> pvc == null || pvc.getMetadata().getDeletionTimestamp() != null);
    Stays.assertHolds(
        "PVC east/" + east.namespace() + "/data stays Bound to volume " + handle + " under finalizer "
            + CsiAddons.PVC_PROTECTION_FINALIZER,
        sync.twiceSyncInterval(), poll, () -> new Held(east.claims().get("data"), east.claims()),
        held -> held.boundTo(handle));
    assertThat(east.replications().observe("data").state())
        .as("the VR of the claim being deleted is still Primary").isEqualTo("Primary");

    east.replications().delete("data");
    east.replications().awaitGone("data");
    kube.waits().until("PVC east/" + east.namespace() + "/data is gone once its VR is",
        TimeoutOperation.CLEANUP, () -> Optional.ofNullable(east.claims().get("data")), Optional::isEmpty);
  }

  @Test
  @PlanItem("L1-VR-007")
  @RequiresCapability(Capability.REPLICATION)
  void deletingAVolumeReplicationDisablesReplicationAndKeepsTheClaimBoundWithItsData() {
    east.claims().mustCreate("data");
    String handle = east.claims().handle("data");
    east.replications().create("data", ReplicationState.PRIMARY);
    east.replications().awaitPromoted("data");
    WriterReport written = east.write("data", "vr-007", 0, 30);

    east.replications().delete("data");
    east.replications().awaitGone("data");
    if (kube.calls().recorded()) {
      assertThat(kube.calls().replicationMethods("east", handle))
          .as("csi-addons calls for volume %s on east:%n%s", handle, kube.calls().render("east", handle))
          .contains("DisableVolumeReplication");
    }
    PersistentVolumeClaim claim = east.claims().get("data");
    assertThat(claim.getStatus().getPhase()).as("PVC data after its VR was deleted").isEqualTo("Bound");
    assertThat(claim.getMetadata().getFinalizers())
        .as("finalizers of PVC data once its VR is gone").doesNotContain(CsiAddons.PVC_PROTECTION_FINALIZER);

    Verification found = east.verify("data", "vr-007");
    kube.evidence().attach("verification after the VR was deleted", found.describe(written));
    assertThat(found.isPrefixOf(written) && found.lostRecords(written) == 0)
        .as("PVC data holds every record written before its VR was deleted: %s", found.describe(written))
        .isTrue();
    assertReplicationDisabled(handle);
  }

  /** The driver itself says replication is off: GetVolumeReplicationInfo is FAILED_PRECONDITION. */
  private void assertReplicationDisabled(String handle) {
    Optional<DriverEndpoint> endpoint = environment.client(DriverEndpoint.class, Optional.of("east"));
    if (endpoint.isEmpty()) {
      kube.evidence().attach("driver not asked", "no driver endpoint for east in this environment:"
          + " GetVolumeReplicationInfo after the deletion was not checked");
      return;
    }
    SiteDriver driver = new SiteDriver(endpoint.get(), config, tracker, kube.evidence());
    try {
      var info = driver.stubs().replication().getVolumeReplicationInfo(
          driver.infoRequest(SiteDriver.source(handle)));
      throw new AssertionError("east: GetVolumeReplicationInfo of volume " + handle + " answered OK (" + info
          + ") after its VolumeReplication was deleted: replication must be disabled (FAILED_PRECONDITION)");
    } catch (StatusRuntimeException e) {
      assertThat(e.getStatus().getCode())
          .as("east: GetVolumeReplicationInfo of volume %s once replication is disabled: %s", handle, e.getStatus())
          .isEqualTo(Status.Code.FAILED_PRECONDITION);
    }
  }

  /** One look at the claim being deleted: is it still there, Bound to its volume, protected? */
  private record Held(PersistentVolumeClaim claim, String volumeHandle) {
    Held(PersistentVolumeClaim claim, Claims claims) {
      this(claim, claim == null || claim.getSpec().getVolumeName() == null ? null : claims.handle("data"));
    }

    boolean boundTo(String handle) {
      return claim != null && claim.getMetadata().getDeletionTimestamp() != null
          && claim.getMetadata().getFinalizers().contains(CsiAddons.PVC_PROTECTION_FINALIZER)
          && "Bound".equals(claim.getStatus().getPhase()) && handle.equals(volumeHandle);
    }

    @Override
    public String toString() {
      return claim == null ? "the PVC is gone"
          : "deletionTimestamp " + claim.getMetadata().getDeletionTimestamp() + ", finalizers "
              + claim.getMetadata().getFinalizers() + ", phase " + claim.getStatus().getPhase()
              + ", volume handle " + volumeHandle;
    }
  }
}
