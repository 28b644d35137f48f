package dev.replcert.layer2.start;

import static org.assertj.core.api.Assertions.assertThat;

import dev.replcert.api.k8s.Ramen;
import dev.replcert.harness.config.Capability;
import dev.replcert.harness.config.CertificationConfig;
import dev.replcert.harness.config.TimeoutOperation;
import dev.replcert.harness.junit.Certification;
import dev.replcert.harness.junit.PlanItem;
import dev.replcert.harness.junit.RequiresCapability;
import dev.replcert.harness.record.Evidence;
import dev.replcert.harness.spi.Environment;
import dev.replcert.harness.track.ResourceTracker;
import dev.replcert.layer2.fixture.DrActions;
import dev.replcert.layer2.fixture.DrFixture;
import dev.replcert.layer2.fixture.DrSetup;
import dev.replcert.layer2.fixture.ProtectedApplication;
import dev.replcert.layer2.fixture.Protection;
import dev.replcert.layer2.fixture.VrgStatus;
import io.openshift.ramendr.v1alpha1.volumereplicationgroupstatus.ProtectedPVCs;
import io.openshift.storage.replication.v1alpha1.VolumeReplication;
import io.openshift.storage.replication.v1alpha1.VolumeReplicationSpec.ReplicationState;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * Enabling protection, as a user does it: a DRPC with preferredCluster east over an application
 * already running there. Ramen must deploy the VRG primary on east and secondary on west, create
 * one VolumeReplication per selected PVC and start syncing (lastGroupSyncTime set and advancing).
 */
@Certification
class StartReplicationSuite {

  /** How many advances of lastGroupSyncTime START-001 watches for a step back. */
  private static final int WATCHED_ADVANCES = 6;

  private DrFixture dr;

  @BeforeEach
  void setUp(TestInfo test, Environment environment, CertificationConfig config, ResourceTracker tracker,
      Evidence evidence) {
    dr = new DrFixture(DrFixture.plan(test), environment, config, tracker, evidence);
  }

  @Test
  @PlanItem("L2-START-001")
  @RequiresCapability(Capability.REPLICATION)
  void protectingAnApplicationDeploysItPrimaryOnThePreferredClusterAndStartsSyncing() {
    ProtectedApplication app = ProtectedApplication.builder(dr, "app").claims(2).create();
    Protection protection = new Protection(dr, app);
    Instant created = Instant.now();
    DrActions drpc = protection.deploy(DrSetup.create(dr), "east");
    dr.evidence().measure("deploy.seconds", Duration.between(created, Instant.now()).toMillis() / 1000.0, "s");

    assertThat(protection.vrg(dr.east())).as("VRG on east").satisfies(
        v -> assertThat(v.state()).as("%s", v).isEqualTo(Ramen.VrgState.PRIMARY.wire()));
    protection.awaitVrg(dr.west(), "reports state Secondary", TimeoutOperation.POLL,
        v -> Ramen.VrgState.SECONDARY.wire().equals(v.state()));
    assertThat(app.deliveredTo()).as("cluster the application is delivered to").contains("east");
    assertThat(dr.west().client().pods().inNamespace(dr.namespace()).list().getItems())
        .as("pods on west while the application is protected on east").isEmpty();
    assertThat(dr.west().client().persistentVolumeClaims().inNamespace(dr.namespace()).list().getItems())
        .as("PVCs on west while the application is protected on east").isEmpty();

    ZonedDateTime first = protection.awaitGroupSyncAfter(drpc, null);
    assertThat(Duration.between(created, first.toInstant()))
        .as("first lastGroupSyncTime %s after the DRPC was created at %s: within 2x interval", first, created)
        .isLessThanOrEqualTo(protection.twiceInterval());
    ZonedDateTime later = protection.awaitGroupSyncAfter(drpc, first);
    dr.evidence().measure("lastGroupSyncTime.advance.seconds",
        Duration.between(first.toInstant(), later.toInstant()).toMillis() / 1000.0, "s");
    // a VRG's group sync is its oldest listed member's: while it lists only some claims, a claim
    // joining may legitimately move it back; so the watch starts from a sync of the whole group
    List<String> selected = app.protectedClaims().stream().sorted().toList();
    VrgStatus whole = protection.awaitVrg(dr.east(), "lists every selected PVC with a lastSyncTime",
        protection.twiceInterval().plus(dr.waits().timeout(TimeoutOperation.POLL)),
        v -> v.protectedNames().equals(selected) && v.lastGroupSyncTime() != null
            && v.protectedPvcs().stream().allMatch(p -> p.getLastSyncTime() != null));
    ZonedDateTime wholeGroup = protection.awaitGroupSyncAfter(drpc, whole.lastGroupSyncTime());
    GroupSyncSamples samples =
        GroupSyncSamples.watch(dr, drpc, wholeGroup, WATCHED_ADVANCES, protection.twiceInterval());
    dr.evidence().attach("lastGroupSyncTime samples", samples.toString());
    assertThat(samples.backwards())
        .as("the DRPC's lastGroupSyncTime never goes backwards: a sync time is the point in time of the last"
            + " applied sync, and each sync is later than the one before (values seen: %s)", samples)
        .isEmpty();
    drpc.awaitPhase(Ramen.Phase.DEPLOYED, TimeoutOperation.POLL);
  }

  @Test
  @PlanItem("L2-START-002")
  @RequiresCapability(Capability.REPLICATION)
  void thePrimaryVrgReplicatesEachSelectedClaimAndListsItProtected() {
    ProtectedApplication app = ProtectedApplication.builder(dr, "app").claims(2).create();
    Protection protection = new Protection(dr, app);
    protection.deploy(DrSetup.create(dr), "east");

    List<VolumeReplication> vrs = protection.vrs(dr.east());
    String described = Protection.describe(vrs);
    assertThat(vrs).extracting(v -> v.getMetadata().getName())
        .as("VRs on east: one per selected PVC, named like it: %s", described)
        .containsExactlyElementsOf(app.protectedClaims().stream().sorted().toList());
    for (VolumeReplication vr : vrs) {
      String name = vr.getMetadata().getName();
      assertThat(vr.getSpec().getDataSource()).as("dataSource of VR %s", name).satisfies(d -> {
        assertThat(d.getKind()).isEqualTo("PersistentVolumeClaim");
        assertThat(d.getName()).isEqualTo(name);
      });
      assertThat(vr.getSpec().getReplicationState()).as("replicationState of VR %s", name)
          .isEqualTo(ReplicationState.PRIMARY);
      assertThat(vr.getMetadata().getLabels()).as("labels of VR %s", name)
          .containsEntry(Protection.CREATED_BY_RAMEN, "true");
      assertThat(Protection.vrConditionIs(vr, "Completed", "True"))
          .as("VR %s Completed=True at its generation: %s", name, described).isTrue();
    }

    VrgStatus vrg = protection.awaitVrg(dr.east(),
        "lists exactly the selected PVCs, DataReady and ClusterDataProtected True, lastSyncTime as the VR's",
        protection.twiceInterval(), v -> v.protectedNames().equals(app.protectedClaims().stream().sorted().toList())
            && v.protectedPvcs().stream().allMatch(p -> protectedAndCopied(protection, p)));
    assertThat(vrg.conditionIs(Ramen.VrgCondition.DATA_PROTECTED.wire(), "False", "Replicating")
        || vrg.conditionIs(Ramen.VrgCondition.DATA_PROTECTED.wire(), "True", "Replicating"))
        .as("VRG DataProtected reports reason Replicating at its generation: %s", vrg).isTrue();
  }

  /** DataReady and ClusterDataProtected True, lastSyncTime what the PVC's VR reports now. */
  private boolean protectedAndCopied(Protection protection, ProtectedPVCs pvc) {
    VolumeReplication vr = protection.vrs(dr.east()).stream()
        .filter(v -> v.getMetadata().getName().equals(pvc.getName())).findFirst().orElse(null);
    return vr != null && vr.getStatus() != null && vr.getStatus().getLastSyncTime() != null
        && VrgStatus.pvcConditionIs(pvc, Ramen.VrgCondition.DATA_READY.wire(), "True")
        && VrgStatus.pvcConditionIs(pvc, Ramen.VrgCondition.CLUSTER_DATA_PROTECTED.wire(), "True")
        && pvc.getLastSyncTime() != null
        && Objects.equals(pvc.getLastSyncTime().toInstant(), vr.getStatus().getLastSyncTime().toInstant());
  }
}
