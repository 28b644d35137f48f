package dev.replcert.layer2.s3;

import static org.assertj.core.api.Assertions.assertThat;

import dev.replcert.api.k8s.CsiAddons;
import dev.replcert.harness.config.Capability;
import dev.replcert.harness.config.CertificationConfig;
import dev.replcert.harness.grpc.CallLog;
import dev.replcert.harness.grpc.CallRecord;
import dev.replcert.harness.junit.Certification;
import dev.replcert.harness.junit.PlanItem;
import dev.replcert.harness.junit.RequiresCapability;
import dev.replcert.harness.record.Evidence;
import dev.replcert.harness.spi.Environment;
import dev.replcert.harness.track.ResourceTracker;
import dev.replcert.layer2.fixture.DrActions;
import dev.replcert.layer2.fixture.DrFixture;
import dev.replcert.layer2.fixture.DrSetup;
import dev.replcert.layer2.fixture.ManagedSite;
import dev.replcert.layer2.fixture.PlannedRelocation;
import dev.replcert.layer2.fixture.ProtectedApplication;
import dev.replcert.layer2.fixture.Protection;
import dev.replcert.layer2.fixture.Restored;
import dev.replcert.layer2.fixture.SiteEvents;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.openshift.storage.replication.v1alpha1.VolumeReplication;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * After a relocate the peer runs the application on the replicated volumes: the PVs the VRG
 * restored from S3 name the replicated volume's handle (the destination handle, when the driver
 * reports one), the claims are Bound to them before the application's pods exist, and the driver
 * on the peer was never asked for a new volume.
 */
@Certification
class RestoredBindingSuite {

  private DrFixture dr;
  private Optional<CallLog> calls;
  private ProtectedApplication app;
  private Protection protection;
  private PlannedRelocation moves;

  @BeforeEach
  void setUp(TestInfo test, Environment environment, CertificationConfig config, ResourceTracker tracker,
      Evidence evidence) {
    dr = new DrFixture(DrFixture.plan(test), environment, config, tracker, evidence);
    calls = environment.client(CallLog.class, Optional.empty());
    app = ProtectedApplication.builder(dr, "app").claims(2).create();
    protection = new Protection(dr, app);
    moves = new PlannedRelocation(dr, app, protection);
  }

  @Test
  @PlanItem("L2-S3-002")
  @RequiresCapability(Capability.REPLICATION)
  void claimsRestoredOnThePeerBindToTheReplicatedVolumesBeforeTheApplicationStarts() {
    long deployed = calls.map(CallLog::mark).orElse(0L);
    DrActions drpc = protection.deploy(DrSetup.create(dr), "east");
    protection.awaitGroupSyncAfter(drpc, null);
    Map<String, String> handles = replicatedHandles();
    dr.evidence().attach("replicated volume handles", handles.toString());
    // the call log shows provisioning only where the provisioner's calls go through it (not the lab's)
    long relocating = calls.map(CallLog::mark).orElse(0L);
    boolean provisioningLogged = calls.map(log -> !creates(log, deployed, "east").isEmpty()).orElse(false);

    Map<String, String> restored = new TreeMap<>();
    PlannedRelocation.Relocation relocation;
    try (SiteEvents west = SiteEvents.watch(dr, dr.west())) {
      relocation = moves.relocate(drpc, dr.east(), dr.west());
      for (String claim : app.protectedClaims()) {
        assertThat(Restored.problem(dr.west(), dr.namespace(), claim)).as("PVC %s on west", claim).isEmpty();
        PersistentVolumeClaim pvc = dr.west().client().persistentVolumeClaims().inNamespace(dr.namespace())
            .withName(claim).get();
        PersistentVolume pv = dr.west().client().persistentVolumes().withName(pvc.getSpec().getVolumeName()).get();
        restored.put(claim, pv.getMetadata().getName());
        assertThat(pv.getSpec().getCsi().getVolumeHandle())
            .as("volume handle of restored PV %s of %s on west", pv.getMetadata().getName(), claim)
            .isEqualTo(handles.get(claim));
        SiteEvents.Event bound = west.first("pvc/" + claim, v -> v.equals("Bound " + pv.getMetadata().getName()));
        SiteEvents.Event started = west.first("pod/" + app.writerPod(claim), v -> true);
        assertThat(bound).as("PVC %s Bound to %s on west:%n%s", claim, pv.getMetadata().getName(), west)
            .isNotNull();
        assertThat(started).as("writer of %s on west:%n%s", claim, west).isNotNull();
        assertThat(bound.sequence()).as("PVC %s Bound (%s) before its writer pod appeared (%s):%n%s", claim, bound,
            started, west).isLessThan(started.sequence());
      }
    }
    assertThat(claimedVolumes(dr.west())).as("PVs on west claimed by the application's PVCs")
        .isEqualTo(restored);
    if (provisioningLogged) {
      assertThat(creates(calls.orElseThrow(), relocating, "west"))
          .as("CreateVolume on west during the relocate:%n%s", calls.orElseThrow().render(relocating)).isEmpty();
    } else {
      dr.evidence().attach("CreateVolume on west", "not in the call log: it does not record the provisioner's calls"
          + " here; checked instead that west's only PVs for the claims are the restored ones " + restored);
    }
    moves.assertZeroLoss(relocation);
  }

  /**
   * Per claim, the handle its volume must have on west: the destination east's VR reports
   * (DestinationInfoAvailable True), else east's own handle (a driver that keeps one id on both).
   */
  private Map<String, String> replicatedHandles() {
    Map<String, String> handles = new LinkedHashMap<>();
    Map<String, VolumeReplication> vrs = protection.vrs(dr.east()).stream()
        .collect(Collectors.toMap(v -> v.getMetadata().getName(), v -> v));
    for (String claim : app.protectedClaims()) {
      PersistentVolumeClaim pvc = dr.east().client().persistentVolumeClaims().inNamespace(dr.namespace())
          .withName(claim).get();
      String handle = dr.east().client().persistentVolumes().withName(pvc.getSpec().getVolumeName()).get()
          .getSpec().getCsi().getVolumeHandle();
      VolumeReplication vr = vrs.get(claim);
      boolean reported = vr != null && vr.getStatus() != null && vr.getStatus().getDestinationVolumeID() != null
          && Protection.vrConditionIs(vr, CsiAddons.ConditionType.DESTINATION_INFO_AVAILABLE.wire(), "True");
      handles.put(claim, reported ? vr.getStatus().getDestinationVolumeID() : handle);
    }
    return handles;
  }

  /**
   * Per claim of the application, the PVs on the site whose claimRef names it (a CreateVolume for
   * a claim would leave a second one, {@code pvc-<the claim's uid>}), comma-separated.
   */
  private Map<String, String> claimedVolumes(ManagedSite site) {
    Map<String, String> claimed = new TreeMap<>();
    for (PersistentVolume pv : site.client().persistentVolumes().list().getItems()) {
      ObjectReference ref = pv.getSpec().getClaimRef();
      if (ref != null && dr.namespace().equals(ref.getNamespace()) && app.protectedClaims().contains(ref.getName())) {
        claimed.merge(ref.getName(), pv.getMetadata().getName(), (a, b) -> a + "," + b);
      }
    }
    return claimed;
  }

  private static List<CallRecord> creates(CallLog log, long mark, String site) {
    return log.since(mark).stream()
        .filter(c -> c.endpoint().equals(site) || c.endpoint().startsWith(site + "/"))
        .filter(c -> c.method().endsWith("/CreateVolume"))
        .toList();
  }
}
