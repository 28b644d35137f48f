package dev.replcert.layer2.orchestrator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.replcert.api.k8s.Ramen;
import dev.replcert.harness.config.Capability;
import dev.replcert.harness.config.CertificationConfig;
import dev.replcert.harness.config.TimeoutOperation;
import dev.replcert.harness.junit.Certification;
import dev.replcert.harness.junit.PlanItem;
import dev.replcert.harness.junit.RequiresCapability;
import dev.replcert.harness.record.DrTimelineRecord;
import dev.replcert.harness.record.Evidence;
import dev.replcert.harness.spi.DisasterInjector;
import dev.replcert.harness.spi.Environment;
import dev.replcert.harness.spi.OrchestratorControl;
import dev.replcert.harness.track.ResourceTracker;
import dev.replcert.harness.workload.WriterReport;
import dev.replcert.layer2.fixture.CutLoss;
import dev.replcert.layer2.fixture.DrFixture;
import dev.replcert.layer2.fixture.DrTimeline;
import dev.replcert.layer2.fixture.DrpcStatus;
import dev.replcert.layer2.fixture.ProtectedApplication;
import dev.replcert.layer2.fixture.ProtectedRun;
import dev.replcert.layer2.fixture.SiteDisasters;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * The orchestrator crashes and restarts at every progression of a failover or a relocate, and the
 * action still ends where it must, with the data it must have: the orchestrator keeps its state in
 * the clusters and S3, not in memory.
 */
@Certification
class OrchestratorRestartTest {

  private DrFixture dr;
  private Environment environment;
  private ResourceTracker tracker;
  private Evidence evidence;

  @BeforeEach
  void setUp(TestInfo test, Environment environment, CertificationConfig config, ResourceTracker tracker,
      Evidence evidence) {
    this.environment = environment;
    this.tracker = tracker;
    this.evidence = evidence;
    dr = new DrFixture(DrFixture.plan(test), environment, config, tracker, evidence);
  }

  @Test
  @PlanItem("L2-ORC-001")
  @RequiresCapability({Capability.REPLICATION, Capability.FORCE_PROMOTE})
  void restartingTheOrchestratorAtEveryFailoverStepStillConvergesWithinTheRpoBound() {
    OrchestratorControl orchestrator = orchestrator();
    DisasterInjector disasters = SiteDisasters.of(environment, "east");
    ProtectedRun run = ProtectedRun.onEast(dr, environment, 1);
    ProtectedApplication app = run.app();
    run.awaitHistoryLongerThanTheBound();

    run.progress(dr.east());
    SiteDisasters.takeDown(disasters, "east", tracker);
    Map<String, WriterReport> beforeCut = run.progress(dr.east());
    Instant set = run.drpc().failover("west");
    DrTimeline timeline = DrTimeline.start(dr, run.drpc(), "Failover", "east", "west", set);
    Restarts restarts = new Restarts(dr, run.drpc(), timeline, orchestrator);
    restarts.until("reports FailedOver", TimeoutOperation.FAILOVER,
        s -> s.current() && Ramen.Phase.FAILED_OVER.wire().equals(s.phase()));
    timeline.workloadReady(app.awaitWriting(dr.west(), TimeoutOperation.FAILOVER));
    disasters.bringUp("east");
    DrpcStatus end = restarts.until("reports FailedOver and Completed once east is back", TimeoutOperation.FAILOVER,
        s -> s.current() && Ramen.Phase.FAILED_OVER.wire().equals(s.phase())
            && Ramen.Progression.COMPLETED.wire().equals(s.progression()));

    Map<String, WriterReport> resumed = app.stopWriters(dr.west());
    List<CutLoss> losses = new ArrayList<>();
    for (String claim : app.protectedClaims()) {
      CutLoss loss = new CutLoss(claim, beforeCut.get(claim), resumed.get(claim), app.verify(dr.west(), claim));
      losses.add(loss);
      timeline.dataLoss(claim, loss.lostRecords(), loss.lostTime().toMillis() / 1000.0, loss.describe());
    }
    timeline.finish();
    evidence.attach("orchestrator restarts", "killed and restarted at progressions " + restarts.restartedAt());
    evidence.measure("rpo.bound", run.rpoBound().toMillis() / 1000.0, "s");

    assertEndState(run, end, "west", "east");
    for (CutLoss loss : losses) {
      assertThat(loss.oneHistory())
          .as("west must hold a crash-consistent prefix the resumed writer continued without a gap: %s",
              loss.describe())
          .isTrue();
      assertThat(loss.lostTime()).as("loss beyond the RPO bound %s: %s", run.describeBound(), loss.describe())
          .isLessThanOrEqualTo(run.rpoBound());
    }
    // a failover waits on the target's restore and, with east down, on east's return: those it
    // must have been caught in; the steps before them may pass between two polls (a -Pcert run
    // caught only these two), as ORC-002's transitional ones
    assertThat(restarts.restartedAt())
        .as("progressions the orchestrator was restarted at")
        .contains(Ramen.Progression.WAITING_FOR_RESOURCE_RESTORE.wire(), Ramen.Progression.CLEANING_UP.wire());
  }

  @Test
  @PlanItem("L2-ORC-002")
  @RequiresCapability(Capability.REPLICATION)
  void restartingTheOrchestratorAtEveryRelocateStepStillConvergesWithZeroLoss() {
    OrchestratorControl orchestrator = orchestrator();
    ProtectedRun run = ProtectedRun.onEast(dr, environment, 1);
    ProtectedApplication app = run.app();
    run.drpc().awaitCondition(Ramen.DrpcCondition.PEER_READY, "True", null, TimeoutOperation.RELOCATE);
    run.awaitSyncAfter(Instant.now(), "a sync of what east wrote before the relocate", run.interval().multipliedBy(20));

    Map<String, WriterReport> stopped = app.stopWriters(dr.east());
    Instant set = run.drpc().relocate("west");
    DrTimeline timeline = DrTimeline.start(dr, run.drpc(), "Relocate", "east", "west", set);
    Restarts restarts = new Restarts(dr, run.drpc(), timeline, orchestrator);
    restarts.until("reports Relocated", TimeoutOperation.RELOCATE,
        s -> s.current() && Ramen.Phase.RELOCATED.wire().equals(s.phase()));
    timeline.workloadReady(app.awaitWriting(dr.west(), TimeoutOperation.RELOCATE));
    DrpcStatus end = restarts.until("reports Relocated and Completed", TimeoutOperation.RELOCATE,
        s -> s.current() && Ramen.Phase.RELOCATED.wire().equals(s.phase())
            && Ramen.Progression.COMPLETED.wire().equals(s.progression()));

    Map<String, WriterReport> resumed = app.stopWriters(dr.west());
    List<CutLoss> losses = new ArrayList<>();
    for (String claim : app.protectedClaims()) {
      CutLoss loss = new CutLoss(claim, stopped.get(claim), resumed.get(claim), app.verify(dr.west(), claim));
      losses.add(loss);
      timeline.dataLoss(claim, loss.lostRecords(), loss.lostTime().toMillis() / 1000.0, loss.describe());
    }
    DrTimelineRecord record = timeline.finish();
    evidence.attach("orchestrator restarts", "killed and restarted at progressions " + restarts.restartedAt());

    assertEndState(run, end, "west", "east");
    assertThat(twoPrimaries(record)).as("moments both VRGs reported Primary during the relocate").isEmpty();
    for (CutLoss loss : losses) {
      assertThat(loss.oneHistory() && loss.lostRecords() == 0)
          .as("a relocate loses nothing: the writer stopped on east must continue on west right after its"
              + " last acknowledged record: %s", loss.describe())
          .isTrue();
    }
    // the relocate steps that wait on the clusters: the final sync and both VRGs Secondary. The
    // others (ClearingPlacement, FinalSyncComplete, ...) may pass between two polls and are only
    // evidence: a -Pselfcert run saw just these four once
    assertThat(restarts.restartedAt())
        .as("progressions the orchestrator was restarted at")
        .contains(Ramen.Progression.PREPARING_FINAL_SYNC.wire(), Ramen.Progression.RUNNING_FINAL_SYNC.wire(),
            Ramen.Progression.ENSURING_VOLUMES_ARE_SECONDARY.wire(),
            Ramen.Progression.WAITING_FOR_RESOURCE_RESTORE.wire());
  }

  private OrchestratorControl orchestrator() {
    Optional<OrchestratorControl> control = environment.client(OrchestratorControl.class, Optional.empty());
    Assumptions.assumeTrue(control.isPresent(), "environment '" + environment.name()
        + "' cannot crash and restart the orchestrator (only the lab runs the bundled orchestrator itself)");
    return control.get();
  }

  private void assertEndState(ProtectedRun run, DrpcStatus end, String primary, String secondary) {
    assertThat(end.conditionIs(Ramen.DrpcCondition.AVAILABLE.wire(), "True", null))
        .as("Available True at the end: %s", end).isTrue();
    dr.waits().until("VRG Primary on " + primary + " and Secondary on " + secondary, TimeoutOperation.FAILOVER,
        () -> Map.of(primary, run.vrgState(dr.site(primary)), secondary, run.vrgState(dr.site(secondary))),
        states -> Ramen.VrgState.PRIMARY.wire().equals(states.get(primary))
            && Ramen.VrgState.SECONDARY.wire().equals(states.get(secondary)));
    assertThat(run.app().deliveredTo()).as("the application's placement").contains(primary);
  }

  /** When both clusters' VRGs last reported Primary at once, from the timeline's samples. */
  static List<String> twoPrimaries(DrTimelineRecord record) {
    Map<String, String> state = new HashMap<>();
    List<String> both = new ArrayList<>();
    for (DrTimelineRecord.Step step : record.steps()) {
      if (step.source().startsWith("vrg/") && "state".equals(step.what())) {
        state.put(step.source(), step.value());
        if (state.values().stream().filter(Ramen.VrgState.PRIMARY.wire()::equals).count() > 1) {
          both.add(step.offsetSeconds() + " s: " + state);
        }
      }
    }
    return both;
  }
}
