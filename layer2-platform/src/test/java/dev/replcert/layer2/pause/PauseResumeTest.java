package dev.replcert.layer2.pause;

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
import dev.replcert.harness.workload.WriterReport;
import dev.replcert.layer2.fixture.CutLoss;
import dev.replcert.layer2.fixture.DrFixture;
import dev.replcert.layer2.fixture.DrTimeline;
import dev.replcert.layer2.fixture.DrpcStatus;
import dev.replcert.layer2.fixture.PausedReplication;
import dev.replcert.layer2.fixture.ProtectedApplication;
import dev.replcert.layer2.fixture.ProtectedRun;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * Pausing replication of a protected application through the vendor hook (Ramen has no pause
 * API): the DRPC's lastGroupSyncTime stops while the application writes on, and the RPO exposure
 * grows; resuming brings the group back in sync, and a relocate then loses nothing written during
 * the pause.
 */
@Certification
class PauseResumeTest {

  /** How many sync intervals the RPO exposure is sampled for (plan: four). */
  private static final int SAMPLED_INTERVALS = 4;

  private DrFixture dr;
  private Environment environment;
  private Evidence evidence;

  @BeforeEach
  void setUp(TestInfo test, Environment environment, CertificationConfig config, ResourceTracker tracker,
      Evidence evidence) {
    this.environment = environment;
    this.evidence = evidence;
    dr = new DrFixture(DrFixture.plan(test), environment, config, tracker, evidence);
  }

  @Test
  @PlanItem("L2-PAUSE-001")
  @RequiresCapability({Capability.REPLICATION, Capability.PAUSE_RESUME})
  void whilePausedLastGroupSyncTimeStopsTheApplicationWritesOnAndTheRpoGrows() {
    ProtectedRun run = ProtectedRun.onEast(dr, environment, 1);
    PausedReplication paused = PausedReplication.of(dr, environment, run.app());
    run.awaitSyncAfter(Instant.now(), "replicating before the pause", run.interval().multipliedBy(20));

    Instant pausedAt = paused.pause(dr.east());
    // a sync already running when the pause came may still complete; nothing later may show
    Instant latestAllowed = pausedAt.plus(run.interval());
    List<String> samples = new ArrayList<>();
    long acked = ackedOnEast(run);
    Duration lastExposure = Duration.ZERO;
    for (int i = 1; i <= SAMPLED_INTERVALS; i++) {
      Instant due = pausedAt.plus(run.interval().multipliedBy(i));
      DrpcStatus drpc = dr.waits().until("sample " + i + " of the pause, at " + due, TimeoutOperation.POD_START,
          () -> run.drpc().observe(), s -> !Instant.now().isBefore(due));
      Instant synced = run.lastGroupSyncTime().orElseThrow();
      Duration exposure = Duration.between(synced, Instant.now());
      long nowAcked = ackedOnEast(run);
      samples.add(sample(i, synced, exposure, run));
      assertThat(synced)
          .as("%d sync intervals into the pause (paused at %s) the DRPC's lastGroupSyncTime must not show a"
              + " sync later than one interval after the pause: %s", i, pausedAt, drpc)
          .isBeforeOrEqualTo(latestAllowed);
      assertThat(nowAcked).as("records the writer on east acknowledged by sample %d of the pause", i)
          .isGreaterThan(acked);
      assertThat(drpc.conditionIs(Ramen.DrpcCondition.AVAILABLE.wire(), "True", null))
          .as("the DRPC stays Available while replication is paused: %s", drpc).isTrue();
      acked = nowAcked;
      lastExposure = exposure;
    }
    evidence.measure("pause.rpo.seconds", lastExposure.toMillis() / 1000.0, "s");
    evidence.attach("RPO exposure while paused", String.join("\n", samples));
    // a sync of before the pause may reach the DRPC late (VR -> VRG -> view -> DRPC), so the
    // exposure need not grow from one sample to the next; with nothing after the pause shown it
    // must have grown to at least (samples - 1) intervals by the last one
    assertThat(lastExposure).as("the RPO exposure %d intervals into the pause (samples %s)", SAMPLED_INTERVALS, samples)
        .isGreaterThanOrEqualTo(run.interval().multipliedBy(SAMPLED_INTERVALS - 1));
    assertThat(app(run).deliveredTo()).as("the application stays on east while paused").contains("east");
  }

  @Test
  @PlanItem("L2-RESYNC-001")
  @RequiresCapability({Capability.REPLICATION, Capability.PAUSE_RESUME})
  void afterResumeTheGroupSyncsAgainAndARelocateLosesNothingWrittenDuringThePause() {
    ProtectedRun run = ProtectedRun.onEast(dr, environment, 1);
    PausedReplication paused = PausedReplication.of(dr, environment, run.app());
    run.awaitSyncAfter(Instant.now(), "replicating before the pause", run.interval().multipliedBy(20));
    Instant pausedAt = paused.pause(dr.east());
    Instant pauseEnds = pausedAt.plus(run.interval().multipliedBy(2));
    dr.waits().until("two sync intervals of writes on east while paused (until " + pauseEnds + ")",
        TimeoutOperation.POD_START, () -> ackedOnEast(run), a -> !Instant.now().isBefore(pauseEnds));
    long lastDuringPause = ackedOnEast(run);

    Instant resumedAt = paused.resume(dr.east());
    Duration within = dr.config().driver().replication().schedulingInterval().multipliedBy(2);
    Instant synced = run.awaitSyncAfter(resumedAt, "a sync after resume, within 2x the DRPolicy's interval", within);
    evidence.measure("resume.firstSync.seconds", Duration.between(resumedAt, Instant.now()).toMillis() / 1000.0, "s");
    run.drpc().awaitCondition(Ramen.DrpcCondition.PROTECTED, "True", null, TimeoutOperation.RESYNC);
    run.drpc().awaitCondition(Ramen.DrpcCondition.PEER_READY, "True", null, TimeoutOperation.RESYNC);

    ProtectedApplication app = app(run);
    Map<String, WriterReport> stopped = app.stopWriters(dr.east());
    Instant set = run.drpc().relocate("west");
    DrTimeline timeline = DrTimeline.start(dr, run.drpc(), "Relocate", "east", "west", set);
    timeline.mark("test", "pause", "paused " + pausedAt + ", resumed " + resumedAt + ", synced " + synced);
    run.drpc().awaitPhase(Ramen.Phase.RELOCATED, TimeoutOperation.RELOCATE);
    timeline.workloadReady(app.awaitWriting(dr.west(), TimeoutOperation.RELOCATE));
    run.drpc().awaitProgression(Ramen.Progression.COMPLETED, TimeoutOperation.RELOCATE);
    Map<String, WriterReport> resumed = app.stopWriters(dr.west());
    List<CutLoss> losses = new ArrayList<>();
    for (String claim : app.protectedClaims()) {
      CutLoss loss = new CutLoss(claim, stopped.get(claim), resumed.get(claim), app.verify(dr.west(), claim));
      losses.add(loss);
      timeline.dataLoss(claim, loss.lostRecords(), loss.lostTime().toMillis() / 1000.0, loss.describe());
    }
    timeline.finish();

    for (CutLoss loss : losses) {
      assertThat(loss.oneHistory() && loss.lostRecords() == 0 && loss.survivedThrough() >= lastDuringPause)
          .as("after resume and relocate, west must hold every record east acknowledged, including those of"
              + " the pause (through #%d), and continue right after them: %s", lastDuringPause, loss.describe())
          .isTrue();
    }
  }

  private long ackedOnEast(ProtectedRun run) {
    return run.progress(dr.east()).values().stream().mapToLong(WriterReport::ackedCount).sum();
  }

  private static ProtectedApplication app(ProtectedRun run) {
    return run.app();
  }

  /** One sample, rated as ramenctl rates it: a warning above 2x the interval, a problem from 3x. */
  private static String sample(int i, Instant synced, Duration exposure, ProtectedRun run) {
    double ratio = (double) exposure.toMillis() / run.interval().toMillis();
    String rating = ratio >= 3 ? "problem" : ratio > 2 ? "warning" : "ok";
    return "interval " + i + ": lastGroupSyncTime " + synced + ", RPO exposure " + exposure.toMillis() / 1000.0
        + " s = " + String.format("%.1f", ratio) + "x the sync interval (" + rating + ")";
  }
}
