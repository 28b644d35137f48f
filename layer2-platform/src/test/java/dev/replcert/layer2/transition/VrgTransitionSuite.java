package dev.replcert.layer2.transition;

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
import dev.replcert.harness.workload.WriterReport;
import dev.replcert.layer2.fixture.DrActions;
import dev.replcert.layer2.fixture.DrFixture;
import dev.replcert.layer2.fixture.DrSetup;
import dev.replcert.layer2.fixture.DrTimeline;
import dev.replcert.layer2.fixture.HandPlacement;
import dev.replcert.layer2.fixture.ManagedSite;
import dev.replcert.layer2.fixture.PlannedRelocation;
import dev.replcert.layer2.fixture.ProtectedApplication;
import dev.replcert.layer2.fixture.Protection;
import dev.replcert.layer2.fixture.Restored;
import dev.replcert.layer2.fixture.SiteEvents;
import dev.replcert.layer2.fixture.VrgStatus;
import io.openshift.ramendr.v1alpha1.VolumeReplicationGroupSpec.Action;
import io.openshift.ramendr.v1alpha1.VolumeReplicationGroupSpec.ReplicationState;
import io.openshift.ramendr.v1alpha1.volumereplicationgroupstatus.ProtectedPVCs;
import io.openshift.storage.replication.v1alpha1.VolumeReplication;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * The VRG's state transitions without a DRPC: the test writes the VRG ManifestWorks and the
 * application's PlacementDecision itself, in the order Ramen's relocate does (application stopped
 * and its PVCs deleted, the primary set secondary, and only once it is Secondary and protected the
 * peer set primary, then the application placed there), and checks what each VRG, its
 * VolumeReplications and the data show in the new roles.
 */
@Certification
class VrgTransitionSuite {

  private DrFixture dr;
  private ProtectedApplication app;
  private Protection protection;
  private HandPlacement placement;
  private HandVrgs vrgs;
  private DrSetup setup;

  @BeforeEach
  void setUp(TestInfo test, Environment environment, CertificationConfig config, ResourceTracker tracker,
      Evidence evidence) {
    dr = new DrFixture(DrFixture.plan(test), environment, config, tracker, evidence);
    app = ProtectedApplication.builder(dr, "app").claims(2).create();
    protection = new Protection(dr, app);
    placement = new HandPlacement(dr, app);
    setup = DrSetup.create(dr);
    vrgs = new HandVrgs(dr, app, setup);
  }

  @Test
  @PlanItem("L2-TRANS-001")
  @RequiresCapability(Capability.REPLICATION)
  void aPrimaryVrgSetSecondaryDemotesEveryVolumeAndTheReplicationReverses() {
    protectOnEast();
    assertThat(protection.vrs(dr.east())).extracting(v -> v.getMetadata().getName())
        .as("VRs on east: %s", Protection.describe(protection.vrs(dr.east())))
        .containsExactlyInAnyOrderElementsOf(app.protectedClaims());
    awaitLastSyncTimesAdvance(dr.east());

    Move move = new Move(dr.east(), dr.west());
    try (SiteEvents east = SiteEvents.watch(dr, dr.east())) {
      move.demote();
      for (String claim : app.protectedClaims()) {
        assertThat(east.first("vr/" + claim, v -> v.startsWith("secondary ")
            && v.endsWith("Completed=True/" + CsiAddons.Reason.DEMOTED.wire())))
            .as("east's VR %s reported secondary Completed=True/Demoted:%n%s", claim, east.render("vr/"))
            .isNotNull();
      }
    }
    app.awaitRemovedFrom(dr.east(), TimeoutOperation.CLEANUP);

    move.promote();
    // syncs flow west -> east: the new primary's lastGroupSyncTime moves on twice
    ZonedDateTime synced = awaitGroupSyncAfter(dr.west(), null);
    awaitGroupSyncAfter(dr.west(), awaitGroupSyncAfter(dr.west(), synced));
    assertThat(protection.vrs(dr.west())).extracting(v -> v.getMetadata().getName())
        .as("VRs on west: %s", Protection.describe(protection.vrs(dr.west())))
        .containsExactlyInAnyOrderElementsOf(app.protectedClaims());
    move.assertZeroLoss();
  }

  @Test
  @PlanItem("L2-TRANS-002")
  @RequiresCapability(Capability.REPLICATION)
  void aSecondaryVrgSetPrimaryRestoresItsClaimsAndReportsPrimaryOnlyWhenReady() {
    protectOnEast();
    Move away = new Move(dr.east(), dr.west());
    away.demote();
    app.awaitRemovedFrom(dr.east(), TimeoutOperation.CLEANUP);
    away.promote();
    away.timeline.close();
    awaitGroupSyncAfter(dr.west(), null);

    Move back = new Move(dr.west(), dr.east());
    back.demote();
    app.awaitRemovedFrom(dr.west(), TimeoutOperation.CLEANUP);
    try (SiteEvents east = SiteEvents.watch(dr, dr.east())) {
      VrgStatus before = protection.vrg(dr.east());
      VrgStatus primary = back.promoteVrg();
      assertThat(primary.conditionIs(Ramen.VrgCondition.CLUSTER_DATA_READY.wire(), "True", "Restored"))
          .as("east's VRG ClusterDataReady True/Restored at its generation: %s", primary).isTrue();
      for (String claim : app.protectedClaims()) {
        assertThat(Restored.problem(dr.east(), dr.namespace(), claim)).as("PVC %s on east", claim).isEmpty();
      }
      List<VolumeReplication> vrs = dr.waits().until("east's VRs primary Completed=True/Promoted",
          TimeoutOperation.PROMOTE, () -> protection.vrs(dr.east()),
          l -> l.size() == app.protectedClaims().size() && l.stream().allMatch(v -> SiteEvents.vrState(v)
              .equals("primary Primary Completed=True/" + CsiAddons.Reason.PROMOTED.wire())));
      assertThat(vrs).extracting(v -> v.getMetadata().getName()).as("VRs on east")
          .containsExactlyInAnyOrderElementsOf(app.protectedClaims());
      List<VrgStatus> seen = east.vrgs();
      dr.evidence().attach("VRG versions on east during the promotion", before + "\n" + String.join("\n",
          seen.stream().map(VrgStatus::toString).toList()));
      assertThat(seen).as("VRG versions east reported during the promotion (watch)").isNotEmpty()
          .filteredOn(v -> Ramen.VrgState.PRIMARY.wire().equals(v.state()))
          .as("VRG versions reporting Primary must have DataReady True at their generation for every selected"
              + " claim:%n%s", east)
          .isNotEmpty()
          .allMatch(v -> v.conditionIs(Ramen.VrgCondition.DATA_READY.wire(), "True", null)
              && v.protectedNames().equals(app.protectedClaims()));
    }
    back.place();
    back.assertZeroLoss();
  }

  /**
   * VRG works primary on east and secondary on west (as a DRPC deploys), east Primary and ready,
   * the application placed on east and writing, west's VRG Secondary.
   */
  private void protectOnEast() {
    vrgs.deliver(dr.east(), ReplicationState.PRIMARY, null);
    vrgs.deliver(dr.west(), ReplicationState.SECONDARY, null);
    awaitPrimary(dr.east());
    placement.decide(dr.east().name());
    app.awaitWriting(dr.east(), TimeoutOperation.POD_START);
    protection.awaitVrg(dr.east(), "protects every selected claim with a VR reporting a lastSyncTime",
        TimeoutOperation.REPLICATION_ESTABLISHED, v -> v.protectedNames().equals(app.protectedClaims())
            && v.protectedPvcs().stream().allMatch(p -> p.getLastSyncTime() != null));
    protection.awaitVrg(dr.west(), "reports Secondary", TimeoutOperation.DEMOTE,
        v -> Ramen.VrgState.SECONDARY.wire().equals(v.state()));
  }

  private VrgStatus awaitPrimary(ManagedSite site) {
    return protection.awaitVrg(site, "reports Primary with DataReady and ClusterDataReady True at its generation",
        TimeoutOperation.PROMOTE, v -> Ramen.VrgState.PRIMARY.wire().equals(v.state())
            && v.conditionIs(Ramen.VrgCondition.DATA_READY.wire(), "True", null)
            && v.conditionIs(Ramen.VrgCondition.CLUSTER_DATA_READY.wire(), "True", null));
  }

  /** Each protected claim's lastSyncTime on the site's VRG moves past what it is now, within 2x interval. */
  private void awaitLastSyncTimesAdvance(ManagedSite site) {
    Map<String, ZonedDateTime> first = new HashMap<>();
    protection.vrg(site).protectedPvcs().forEach(p -> first.put(p.getName(), p.getLastSyncTime()));
    protection.awaitVrg(site, "reports a later lastSyncTime for every claim than " + first,
        dr.waits().timeout(TimeoutOperation.POLL).plus(protection.twiceInterval()),
        v -> app.protectedClaims().stream().allMatch(c -> v.protectedPvc(c).map(ProtectedPVCs::getLastSyncTime)
            .filter(t -> first.get(c) == null || t.isAfter(first.get(c))).isPresent()));
  }

  private ZonedDateTime awaitGroupSyncAfter(ManagedSite site, ZonedDateTime after) {
    return protection.awaitVrg(site, "reports a lastGroupSyncTime after " + after + " (due within 2x interval)",
        dr.waits().timeout(TimeoutOperation.POLL).plus(protection.twiceInterval()),
        v -> v.lastGroupSyncTime() != null && (after == null || v.lastGroupSyncTime().isAfter(after)))
        .lastGroupSyncTime();
  }

  /** A planned move of the application by hand, as Ramen's relocate orders it. */
  private final class Move {
    private final ManagedSite from;
    private final ManagedSite to;
    private Map<String, WriterReport> stopped;
    private DrTimeline timeline;

    Move(ManagedSite from, ManagedSite to) {
      this.from = from;
      this.to = to;
    }

    /**
     * Stops the writers on {@code from}, removes the application there (its PVCs deleted, as a
     * secondary VRG requires) and sets its VRG secondary (action Relocate); returns the VRG once
     * Secondary with DataProtected True at its generation.
     */
    VrgStatus demote() {
      stopped = app.stopWriters(from);
      placement.decide(null);
      Instant set = vrgs.deliver(from, ReplicationState.SECONDARY, Action.RELOCATE);
      timeline = DrTimeline.start(dr, new DrActions(dr, app, setup), "VRG secondary on " + from + ", primary on "
          + to + " (ManifestWorks by hand)", from.name(), to.name(), set);
      VrgStatus secondary = protection.awaitVrg(from, "reports Secondary with DataProtected True at its generation",
          TimeoutOperation.DEMOTE, v -> Ramen.VrgState.SECONDARY.wire().equals(v.state())
              && v.conditionIs(Ramen.VrgCondition.DATA_PROTECTED.wire(), "True", null));
      timeline.mark("vrg/" + from, "demoted", secondary.state() + " DataProtected=True");
      return secondary;
    }

    /** Sets the target's VRG primary (action Relocate); returns it once Primary and ready. */
    VrgStatus promoteVrg() {
      vrgs.deliver(to, ReplicationState.PRIMARY, Action.RELOCATE);
      return awaitPrimary(to);
    }

    /** Places the application on the target; checks each writer resumed after the last record stopped. */
    void place() {
      placement.decide(to.name());
      timeline.workloadReady(app.awaitWriting(to, TimeoutOperation.RELOCATE));
      for (String claim : app.protectedClaims()) {
        assertThat(app.writer(to, claim).progress().firstSequence())
            .as("first record the writer of %s wrote on %s after %s's last acknowledged %s", claim, to, from,
                stopped.get(claim))
            .isEqualTo(stopped.get(claim).lastAcked() + 1);
      }
    }

    void promote() {
      promoteVrg();
      place();
    }

    /** Stops the writers on the target; nothing acknowledged on the source is missing there. */
    void assertZeroLoss() {
      new PlannedRelocation(dr, app, protection).assertZeroLoss(new PlannedRelocation.Relocation(to, stopped,
          timeline));
    }
  }
}
