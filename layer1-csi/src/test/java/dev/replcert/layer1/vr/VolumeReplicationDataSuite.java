package dev.replcert.layer1.vr;

import static org.assertj.core.api.Assertions.assertThat;

import dev.replcert.api.k8s.CsiAddons.ConditionType;
import dev.replcert.api.k8s.CsiAddons.Reason;
import dev.replcert.harness.config.Capability;
import dev.replcert.harness.config.CertificationConfig;
import dev.replcert.harness.config.TimeoutOperation;
import dev.replcert.harness.junit.Certification;
import dev.replcert.harness.junit.PlanItem;
import dev.replcert.harness.junit.RequiresCapability;
import dev.replcert.harness.record.Evidence;
import dev.replcert.harness.spi.DisasterInjector;
import dev.replcert.harness.spi.Environment;
import dev.replcert.harness.track.ResourceTracker;
import dev.replcert.harness.workload.WriterReport;
import dev.replcert.layer1.kube.KubeFixture;
import dev.replcert.layer1.kube.KubeSite;
import dev.replcert.layer1.kube.VrStatus;
import dev.replcert.layer1.support.Targets;
import io.openshift.storage.replication.v1alpha1.VolumeReplicationSpec.ReplicationState;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * The bytes behind VolumeReplication state changes: writer pods on the primary, verifier pods on
 * the site that takes over. A planned switchover loses nothing in either direction; a split brain
 * resynced through the VR leaves the old primary with the new primary's data only.
 */
@Certification
class VolumeReplicationDataSuite {

  private static final int RECORDS = 40;

  private KubeFixture kube;
  private KubeSite east;
  private KubeSite west;
  private Switchover switchover;
  private Environment environment;
  private ResourceTracker tracker;

  @BeforeEach
  void connect(TestInfo test, Environment environment, CertificationConfig config, ResourceTracker tracker,
      Evidence evidence) {
    kube = new KubeFixture(VolumeReplicationSuite.plan(test), environment, config, tracker, evidence);
    east = kube.east();
    west = kube.west();
    switchover = new Switchover(kube, "data");
    this.environment = environment;
    this.tracker = tracker;
  }

  @Test
  @PlanItem("L1-VR-008")
  @RequiresCapability(Capability.REPLICATION)
  void aPlannedSwitchoverWithVolumeReplicationsAloneLosesNoRecordInEitherDirection() {
    east.claims().mustCreate("data");
    east.replications().create("data", ReplicationState.PRIMARY);
    east.replications().awaitPromoted("data");

    WriterReport eastWrote = east.write("data", "vr-008", 0, RECORDS);
    recordRto("eastToWest", switchover.run(east, west));
    Switchover.assertNothingLost(kube, west, "data", "vr-008", eastWrote, "after the switchover east to west");

    WriterReport westWrote = west.write("data", "vr-008", eastWrote.lastAcked() + 1, RECORDS);
    recordRto("westToEast", switchover.run(west, east));
    Switchover.assertNothingLost(kube, east, "data", "vr-008", westWrote, "after the switchover back to east");
  }

  /**
   * The plan's split brain: east is cut with the disaster injector (skipped with the reason when
   * the environment has no way to take east down), west is promoted, west's application writes,
   * east comes back still primary and writes on. The resync must leave west's data only.
   */
  @Test
  @PlanItem("L1-VR-003")
  @RequiresCapability({Capability.REPLICATION, Capability.FORCE_PROMOTE, Capability.RESYNC})
  void aResyncOfTheSplitBrainedOldPrimaryMakesItHealthyWithTheNewPrimarysDataOnly() {
    replicatedPairWithData();
    WriterReport westWrote = splitBrain();
    // east, still primary, carries the application's run on past what west holds: records west
    // never sees, in slots west never wrote; after the resync they must be gone
    WriterReport diverged = east.write("data", "vr-003", westWrote.lastAcked() + 1 + RECORDS, RECORDS / 4);

    east.replications().setState("data", ReplicationState.SECONDARY);
    Set<String> seen = new TreeSet<>();
    east.replications().await("data", "reports Completed=True/Demoted", TimeoutOperation.DEMOTE,
        recording(seen, vr -> vr.completed(Reason.DEMOTED)));
    east.replications().setState("data", ReplicationState.RESYNC);
    VrStatus resynced = east.replications().await("data",
        "(resync) reports state Secondary, Degraded=False/Healthy and Resyncing=False for its generation",
        TimeoutOperation.RESYNC, recording(seen, VolumeReplicationDataSuite::healthySecondary));
    assertResyncWasTriggered(seen, resynced);

    switchover.run(west, east);
    kube.evidence().attach("east's split-brain records", diverged.toString());
    Switchover.assertNothingLost(kube, east, "data", "vr-003", westWrote,
        "after the resync and the switch back (west's records all there, none of the "
            + diverged.ackedCount() + " east wrote while split-brained)");
  }

  /** East primary with records synced to west, west's claim restored under a secondary VR. */
  private void replicatedPairWithData() {
    east.claims().mustCreate("data");
    east.replications().create("data", ReplicationState.PRIMARY);
    east.replications().awaitPromoted("data");
    WriterReport written = east.write("data", "vr-003-east", 0, RECORDS);
    ZonedDateTime acked = written.lastAckedAt().atZone(ZoneOffset.UTC);
    east.replications().await("data", "reports a sync after the last acknowledged record (" + acked + ")",
        TimeoutOperation.FIRST_SYNC, vr -> vr.lastSyncTime() != null && vr.lastSyncTime().isAfter(acked));
    switchover.restoreClaim(east, west, east.replications().observe("data"));
    west.replications().create("data", ReplicationState.SECONDARY);
    west.replications().awaitDemoted("data");
  }

  /**
   * The plan's split brain: east is cut, west's VR is set primary (csi-addons retries with force
   * once the unforced promote fails), west's application writes, then east comes back still
   * believing it is primary.
   */
  private WriterReport splitBrain() {
    DisasterInjector disasters = Targets.disasters(environment, "east");
    String handle = west.claims().handle("data");
    disasters.takeDown("east");
    tracker.track("bring east back", () -> {
      if (disasters.isDown("east")) {
        disasters.bringUp("east");
      }
    });
    long start = System.nanoTime();
    west.replications().setState("data", ReplicationState.PRIMARY);
    west.replications().awaitPromoted("data");
    recordRto("forcedPromoteOnWest", Switchover.seconds(start));
    if (kube.calls().recorded()) {
      assertThat(kube.calls().on("west", handle).stream()
              .filter(c -> c.method().endsWith("/PromoteVolume")).map(c -> c.status()).toList())
          .as("west's PromoteVolume calls while east is still primary: FAILED_PRECONDITION, then OK with force;"
              + "%n%s", kube.calls().render("west", handle))
          .containsSubsequence("FAILED_PRECONDITION", "OK");
    }
    WriterReport westWrote = west.write("data", "vr-003", 0, RECORDS);
    disasters.bringUp("east");
    return westWrote;
  }

  /** {@code done}, noting every condition seen on the way (a state may last less than a poll). */
  private static Predicate<VrStatus> recording(Set<String> seen, Predicate<VrStatus> done) {
    return vr -> {
      seen.addAll(vr.conditionSet());
      return done.test(vr);
    };
  }

  /**
   * A resync that answered ready writes Degraded and Resyncing for the resync's generation and
   * leaves Completed as the demote wrote it (csi-addons' resync-ready set, reference/csi.md §4):
   * where the resync the secondary started has finished before the spec says resync, the first
   * ResyncVolume of the new generation is ready and Completed stays at the demote's generation.
   */
  private static boolean healthySecondary(VrStatus vr) {
    return vr.current() && "Secondary".equals(vr.state())
        && vr.hasCurrent(ConditionType.DEGRADED, "False", Reason.HEALTHY)
        && vr.hasCurrent(ConditionType.RESYNCING, "False", Reason.NOT_RESYNCING)
        && vr.has(ConditionType.COMPLETED, "True", Reason.DEMOTED);
  }

  /**
   * A split-brained volume cannot have caught up at the first ResyncVolume: the VR must have shown
   * Resyncing=True/ResyncTriggered. The controller may hold it only briefly on a fast backend; where
   * the environment records the driver calls, a ResyncVolume(force=false) of the secondary repeated
   * proves the first one answered ready=false (the controller stops asking once ready), and so that
   * the controller wrote ResyncTriggered.
   */
  private void assertResyncWasTriggered(Set<String> seen, VrStatus resynced) {
    String handle = east.claims().handle("data");
    long resyncCalls = kube.calls().on("east", handle).stream()
        .filter(c -> c.method().endsWith("/ResyncVolume") && !c.request().contains("force: true"))
        .count();
    kube.evidence().attach("conditions seen on east from demote to healthy", seen + "; ResyncVolume calls "
        + (kube.calls().recorded() ? resyncCalls : "not visible"));
    assertThat(seen.contains("Resyncing=True/ResyncTriggered") || resyncCalls >= 2)
        .as("east's VR must report Resyncing=True/ResyncTriggered before it is healthy again (a split-brained"
            + " volume is not ready at once); seen %s, ResyncVolume(force=false) calls %d, last %s", seen, resyncCalls, resynced)
        .isTrue();
  }

  private void recordRto(String what, double seconds) {
    kube.evidence().measure("rto." + what, seconds, "s");
  }
}
