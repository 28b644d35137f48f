package dev.replcert.layer2.failback;

import static org.assertj.core.api.Assertions.assertThat;

import dev.replcert.api.k8s.CsiAddons;
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
import dev.replcert.harness.workload.Verification;
import dev.replcert.harness.workload.WriterReport;
import dev.replcert.layer2.fixture.ClusterState;
import dev.replcert.layer2.fixture.DrFixture;
import dev.replcert.layer2.fixture.DrTimeline;
import dev.replcert.layer2.fixture.FailoverScenario;
import dev.replcert.layer2.fixture.FailoverScenario.ClusterDown;
import dev.replcert.layer2.fixture.PausedReplication;
import dev.replcert.layer2.fixture.RpoBound;
import dev.replcert.layer2.fixture.SiteDisaster;
import dev.replcert.layer2.fixture.Survivor;
import io.openshift.storage.replication.v1alpha1.VolumeReplication;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * After a cluster-down failover to west, east comes back: the DRPC's cleanup demotes east's
 * volumes with autoResync and they resync from west; then the user relocates the application home
 * to east, and east holds every record west acknowledged and nothing east wrote after the last
 * sync before it was lost.
 */
@Certification
class FailbackSuite {

  /** How many sync intervals east writes alone before it is lost (RESYNC-003). */
  private static final int DIVERGENT_INTERVALS = 5;

  private DrFixture dr;
  private Environment environment;

  @BeforeEach
  void setUp(TestInfo test, Environment environment, CertificationConfig config, ResourceTracker tracker,
      Evidence evidence) {
    this.dr = new DrFixture(DrFixture.plan(test), environment, config, tracker, evidence);
    this.environment = environment;
  }

  @Test
  @PlanItem("L2-RESYNC-002")
  @RequiresCapability({Capability.REPLICATION, Capability.FORCE_PROMOTE, Capability.RESYNC})
  void theRecoveredOldPrimaryIsDemotedWithAutoResyncAndResyncsFromTheNewPrimary() {
    FailoverScenario scenario = FailoverScenario.protectedOnEast(dr, environment, 1);
    SiteDisaster lost = SiteDisaster.of(dr, environment, dr.east());
    ClusterDown failover = scenario.failEastOverToWest(lost);
    Map<String, WriterReport> onWest = stopped(scenario.survivors(dr.west(), failover.acknowledged(),
        failover.timeline()));
    failover.timeline().finish();

    ClusterState east = scenario.state(dr.east());
    lost.bringUp();
    try (VrHistory history = new VrHistory(dr.east().client(), dr.namespace())) {
      scenario.drpc().awaitCondition(Ramen.DrpcCondition.PEER_READY, "True", null, TimeoutOperation.RESYNC);
      scenario.drpc().awaitProgression(Ramen.Progression.COMPLETED, TimeoutOperation.RESYNC);
      dr.evidence().attach("east's VolumeReplications from recovery to PeerReady", history.describe());
      assertThat(east.vrgState()).as("east's VRG after the cleanup: %s", east.describe())
          .isEqualTo(Ramen.VrgState.SECONDARY.wire());
      for (String claim : scenario.app().protectedClaims()) {
        assertThat(history.any(claim, FailbackSuite::demotedWithAutoResync))
            .as("east's VR %s must be set secondary with autoResync=true after the failover (the old primary"
                + " resyncs from the new one) and report Completed=True at that generation; seen:%n%s", claim,
                history.describe())
            .isTrue();
        assertThat(history.any(claim, FailbackSuite::resyncingOrResynced))
            .as("east's VR %s must report the resync at its generation, state Secondary with Resyncing=True and"
                + " Degraded=True (resyncing) or Degraded=False and Resyncing=False (in sync), before the VRG lets"
                + " it go; seen:%n%s", claim, history.describe())
            .isTrue();
      }
    }

    DrTimeline back = scenario.relocate(dr.west(), dr.east());
    assertEastContinuesWestsHistory(scenario, onWest, back,
        "east resynced from west: what east wrote after its last sync to west must be gone");
  }

  @Test
  @PlanItem("L2-FB-001")
  @RequiresCapability({Capability.REPLICATION, Capability.FORCE_PROMOTE, Capability.RESYNC})
  void aFailbackAfterAClusterDownFailoverBringsBackEveryRecordWrittenOnWest() {
    FailoverScenario scenario = FailoverScenario.protectedOnEast(dr, environment, 2);
    SiteDisaster lost = SiteDisaster.of(dr, environment, dr.east());
    ClusterDown failover = scenario.failEastOverToWest(lost);
    Map<String, WriterReport> onWest = stopped(scenario.survivors(dr.west(), failover.acknowledged(),
        failover.timeline()));
    failover.timeline().finish();
    scenario.recover(lost, TimeoutOperation.RESYNC);

    DrTimeline back = scenario.relocate(dr.west(), dr.east());
    Instant home = Instant.now();
    assertThat(scenario.state(dr.east()).vrgState()).as("east's VRG after the failback: %s",
        scenario.state(dr.east()).describe()).isEqualTo(Ramen.VrgState.PRIMARY.wire());
    assertEastContinuesWestsHistory(scenario, onWest, back, "relocated home from west");
    scenario.awaitReplicatingAfter(home);
    assertThat(scenario.state(dr.west()).vrgState()).as("west's VRG once east replicates to it again: %s",
        scenario.state(dr.west()).describe()).isEqualTo(Ramen.VrgState.SECONDARY.wire());
  }

  @Test
  @PlanItem("L2-RESYNC-003")
  @RequiresCapability({Capability.REPLICATION, Capability.FORCE_PROMOTE, Capability.RESYNC, Capability.PAUSE_RESUME})
  void theResyncDiscardsEverythingTheOldPrimaryWroteAfterItsLastSync() {
    FailoverScenario scenario = FailoverScenario.protectedOnEast(dr, environment, 1);
    PausedReplication paused = PausedReplication.of(dr, environment, scenario.app());
    scenario.awaitReplicated(dr.east());
    // east writes on alone: those records never reach west, so west's writers resume over fewer
    // slots than east filled, and only a resync that discards east's own writes clears the rest
    Instant pausedAt = paused.pause(dr.east());
    Instant aloneUntil = pausedAt.plus(RpoBound.syncInterval(dr, environment).multipliedBy(DIVERGENT_INTERVALS));
    dr.waits().until("east's writers acknowledging alone for " + DIVERGENT_INTERVALS + " sync intervals (until "
        + aloneUntil + ")", TimeoutOperation.POD_START, () -> scenario.acknowledged(dr.east()),
        a -> !Instant.now().isBefore(aloneUntil));
    SiteDisaster lost = SiteDisaster.of(dr, environment, dr.east());
    ClusterDown failover = scenario.failEastOverToWest(lost);
    List<Survivor> survivors = scenario.survivors(dr.west(), failover.acknowledged(), failover.timeline());
    Map<String, WriterReport> onWest = stopped(survivors);
    failover.timeline().finish();
    String divergent = survivors.stream().map(s -> s.claim() + ": east wrote alone #" + (s.survivedLast() + 1)
        + "..#" + s.acknowledged().lastAcked() + ", west then wrote through #" + s.resumed().lastAcked())
        .toList().toString();
    dr.evidence().attach("diverged", divergent);

    scenario.recover(lost, TimeoutOperation.RESYNC);
    DrTimeline back = scenario.relocate(dr.west(), dr.east());
    assertEastContinuesWestsHistory(scenario, onWest, back, "after resync the old primary is identical to the new"
        + " primary, so nothing east wrote alone while its replication was paused may survive (" + divergent + ")");
  }

  @Test
  @PlanItem("L2-RESYNC-004")
  @RequiresCapability({Capability.REPLICATION, Capability.FORCE_PROMOTE, Capability.RESYNC, Capability.PAUSE_RESUME})
  void theRecoveredOldPrimaryIsNotReportedInSyncWhileTheNewPrimaryHoldsTheResyncBack() {
    FailoverScenario scenario = FailoverScenario.protectedOnEast(dr, environment, 1);
    PausedReplication paused = PausedReplication.of(dr, environment, scenario.app());
    SiteDisaster lost = SiteDisaster.of(dr, environment, dr.east());
    ClusterDown failover = scenario.failEastOverToWest(lost);
    scenario.survivors(dr.west(), failover.acknowledged(), failover.timeline());
    failover.timeline().finish();

    // west ships nothing while paused: east's resync can start but cannot finish
    Instant heldAt = paused.pause(dr.west());
    lost.bringUp();
    try (VrHistory history = new VrHistory(dr.east().client(), dr.namespace())) {
      dr.waits().until("east's VRs demoted with autoResync report the resync (resyncing, or in sync)",
          TimeoutOperation.RESYNC, history::describe,
          seen -> scenario.app().protectedClaims().stream()
              .allMatch(c -> history.any(c, FailbackSuite::resyncingOrResynced)));
      for (String claim : scenario.app().protectedClaims()) {
        assertThat(history.any(claim, FailbackSuite::inSync))
            .as("east's VR %s reported in sync (Degraded=False, Resyncing=False, state Secondary) while west's"
                + " replication was paused since %s and nothing could reach east: ready only when the resynced"
                + " volume matches the primary; seen:%n%s", claim, heldAt, history.describe())
            .isFalse();
      }
      Instant resumed = paused.resume(dr.west());
      scenario.drpc().awaitCondition(Ramen.DrpcCondition.PEER_READY, "True", null, TimeoutOperation.RESYNC);
      scenario.drpc().awaitProgression(Ramen.Progression.COMPLETED, TimeoutOperation.RESYNC);
      dr.evidence().attach("east's VolumeReplications, west paused " + heldAt + " to " + resumed, history.describe());
    }
  }

  /**
   * East's writers resumed right after the last record west acknowledged, and east's volume is one
   * intact run from #0 through what east's writers acknowledged: every record of west's is there,
   * nothing else.
   */
  private void assertEastContinuesWestsHistory(FailoverScenario scenario, Map<String, WriterReport> onWest,
      DrTimeline timeline, String why) {
    Map<String, WriterReport> resumed = new LinkedHashMap<>();
    scenario.app().protectedClaims().forEach(c -> resumed.put(c, scenario.app().writer(dr.east(), c).progress()));
    Map<String, WriterReport> onEast = scenario.app().stopWriters(dr.east());
    for (String claim : scenario.app().protectedClaims()) {
      Verification kept = scenario.app().verify(dr.east(), claim);
      timeline.dataLoss(claim, onWest.get(claim), kept);
      WriterReport west = onWest.get(claim);
      WriterReport east = onEast.get(claim);
      assertThat(resumed.get(claim).firstSequence())
          .as("%s: east's writer must resume right after the last record west acknowledged (#%d); %s."
              + " East's volume: %s", claim, west.lastAcked(), why, kept.describe(east))
          .isEqualTo(west.lastAcked() + 1);
      assertThat(kept.isPrefixOf(east) && kept.lastContiguous() == east.lastAcked() && kept.corruptCount() == 0)
          .as("%s: east must hold one intact run #0..#%d (west's records, then east's): %s", claim, east.lastAcked(),
              kept.describe(east))
          .isTrue();
    }
    timeline.finish();
  }

  private static Map<String, WriterReport> stopped(List<Survivor> survivors) {
    return survivors.stream().collect(Collectors.toMap(Survivor::claim, Survivor::resumed, (a, b) -> a,
        LinkedHashMap::new));
  }

  private static boolean demotedWithAutoResync(VolumeReplication vr) {
    return vr.getSpec().getReplicationState() != null
        && CsiAddons.ReplicationState.SECONDARY.wire().equals(vr.getSpec().getReplicationState().getValue())
        && Boolean.TRUE.equals(vr.getSpec().getAutoResync())
        && VrHistory.has(vr, CsiAddons.ConditionType.COMPLETED.wire(), "True");
  }

  /** A demoted VR reporting its volume in sync with the primary (resync ready). */
  private static boolean inSync(VolumeReplication vr) {
    return demotedWithAutoResync(vr) && VrHistory.has(vr, CsiAddons.ConditionType.RESYNCING.wire(), "False")
        && VrHistory.has(vr, CsiAddons.ConditionType.DEGRADED.wire(), "False")
        && CsiAddons.VolumeState.SECONDARY.wire().equals(vr.getStatus().getState());
  }

  /** What Ramen accepts of a secondary VR: resyncing (Resyncing and Degraded True) or in sync. */
  private static boolean resyncingOrResynced(VolumeReplication vr) {
    if (!demotedWithAutoResync(vr)) {
      return false;
    }
    String resyncing = CsiAddons.ConditionType.RESYNCING.wire();
    String degraded = CsiAddons.ConditionType.DEGRADED.wire();
    return VrHistory.has(vr, resyncing, "True") && VrHistory.has(vr, degraded, "True") || inSync(vr);
  }
}
