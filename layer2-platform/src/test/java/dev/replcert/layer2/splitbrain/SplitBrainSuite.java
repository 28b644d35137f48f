package dev.replcert.layer2.splitbrain;

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
import dev.replcert.harness.workload.Verification;
import dev.replcert.harness.workload.WorkloadCommand;
import dev.replcert.harness.workload.WriterHandle;
import dev.replcert.harness.workload.WriterReport;
import dev.replcert.layer2.fixture.ClusterState;
import dev.replcert.layer2.fixture.DrFixture;
import dev.replcert.layer2.fixture.DrTimeline;
import dev.replcert.layer2.fixture.FailoverScenario;
import dev.replcert.layer2.fixture.FailoverScenario.ClusterDown;
import dev.replcert.layer2.fixture.ManagedSite;
import dev.replcert.layer2.fixture.SiteDisaster;
import dev.replcert.layer2.fixture.Survivor;
import dev.replcert.layer2.splitbrain.PrimarySampler.Sample;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * No DR action may leave both clusters' drivers treating a volume as a writable primary, except
 * the one Ramen documents: a Failover with both clusters up promotes the target, moves the
 * placement and only then sets the old primary's VRG Secondary in its clean-up (ramen.md,
 * RunFailover / EnsureCleanup). A sampler asks both drivers and reads both clusters' VRs every
 * {@link PrimarySampler#EVERY} through deploy, relocate, failback and that failover; the failover's
 * both-primary window is measured, must close, and must not let a write the source accepted after
 * the promote reach the target.
 */
@Certification
class SplitBrainSuite {

  private static final String DEPLOY = "deploy";
  private static final String RELOCATE = "relocate east to west";
  private static final String FAILBACK = "failback west to east";
  private static final String FAILOVER = "failover to west, both up";
  private static final String AFTER = "after the failover's clean-up";

  private DrFixture dr;
  private Environment environment;

  @BeforeEach
  void setUp(TestInfo test, Environment environment, CertificationConfig config, ResourceTracker tracker,
      Evidence evidence) {
    this.dr = new DrFixture(DrFixture.plan(test), environment, config, tracker, evidence);
    this.environment = environment;
  }

  @Test
  @PlanItem("L2-SB-001")
  @RequiresCapability({Capability.REPLICATION, Capability.FORCE_PROMOTE})
  void noDrActionEverLeavesTwoWritablePrimariesBeyondTheFailoversWindow() {
    FailoverScenario scenario = FailoverScenario.application(dr, environment, 1);
    List<String> claims = scenario.app().protectedClaims();
    PrimarySampler sampler = new PrimarySampler(dr, environment, scenario.drpc().name(), claims);

    sampler.phase(DEPLOY);
    scenario.deployOnEast();
    scenario.awaitReplicated(dr.east());
    sampler.phase(RELOCATE);
    move(scenario, dr.east(), dr.west());
    sampler.phase(FAILBACK);
    move(scenario, dr.west(), dr.east());
    scenario.awaitReplicated(dr.east());

    sampler.phase(FAILOVER);
    Map<String, WriterHandle> eastWriters = new LinkedHashMap<>();
    claims.forEach(c -> eastWriters.put(c, scenario.app().writer(dr.east(), c)));
    sampler.watchSource(eastWriters);
    Map<String, WriterReport> acknowledged = scenario.freshlyAcknowledged(dr.east());
    Instant set = scenario.drpc().failover("west");
    DrTimeline timeline = DrTimeline.start(dr, scenario.drpc(), "Failover", "east", "west", set);
    scenario.drpc().awaitPhase(Ramen.Phase.FAILED_OVER, TimeoutOperation.FAILOVER);
    timeline.workloadReady(scenario.app().awaitWriting(dr.west(), TimeoutOperation.FAILOVER));
    scenario.drpc().awaitCondition(Ramen.DrpcCondition.PEER_READY, "True", null, TimeoutOperation.FAILOVER);
    scenario.drpc().awaitProgression(Ramen.Progression.COMPLETED, TimeoutOperation.FAILOVER);
    sampler.watchSource(Map.of());
    sampler.phase(AFTER);
    scenario.awaitReplicatingAfter(Instant.now());
    sampler.finish("VR states and driver roles every " + PrimarySampler.EVERY.toMillis()
        + " ms (deploy, relocate, failback, failover with both up)");

    assertThat(sampler.twoPrimariesOutside(FAILOVER))
        .as("samples outside the Failover where both drivers answered GetVolumeReplicationInfo as primary for the"
            + " same volume (two writable primaries); whole timeline:%n%s", sampler.timeline())
        .isEmpty();
    Duration limit = dr.config().timeoutProfile().of(TimeoutOperation.FAILOVER);
    for (String claim : claims) {
      assertFailoverWindow(scenario, sampler, claim, limit, eastWriters.get(claim).progress());
      assertOnePrimaryAfterwards(scenario, sampler, claim);
    }

    List<Survivor> kept = scenario.survivors(dr.west(), acknowledged, timeline);
    timeline.finish();
    for (Survivor s : kept) {
      assertThat(s.contiguous())
          .as("west after deploy, relocate, failback and a failover with both up: one intact history: %s",
              s.describe())
          .isTrue();
    }
  }

  @Test
  @PlanItem("L2-SB-002")
  @RequiresCapability({Capability.REPLICATION, Capability.FORCE_PROMOTE})
  void aStalePrimaryVrgReappliedOnEastAfterAClusterDownFailoverDoesNotMakeASecondPrimary() {
    FailoverScenario scenario = FailoverScenario.protectedOnEast(dr, environment, 1);
    new StaleAfterFailover(dr, environment, scenario).run(() -> { });
  }

  @Test
  @PlanItem("L2-SB-003")
  @RequiresCapability({Capability.REPLICATION})
  void afterARelocateTheOldPrimarysVolumeRefusesAWriterGivenItsOldPv() {
    FailoverScenario scenario = FailoverScenario.protectedOnEast(dr, environment, 1);
    String claim = scenario.app().protectedClaims().get(0);
    PersistentVolume oldPv = scenario.state(dr.east()).pv(claim);
    assertThat(oldPv).as("east's PV of %s before the relocate", claim).isNotNull();

    move(scenario, dr.east(), dr.west());
    scenario.awaitReplicatingAfter(Instant.now());

    assertStaleWriterRefused(oldPv, claim, "the relocate");
    assertWestIntact(scenario, claim, scenario.app().stopWriters(dr.west()).get(claim));
  }

  @Test
  @PlanItem("L2-SB-004")
  @RequiresCapability({Capability.REPLICATION, Capability.FORCE_PROMOTE, Capability.RESYNC})
  void afterAFailoverAndItsRecoveryTheOldPrimarysVolumeRefusesAWriterGivenItsOldPv() {
    FailoverScenario scenario = FailoverScenario.protectedOnEast(dr, environment, 1);
    String claim = scenario.app().protectedClaims().get(0);
    PersistentVolume oldPv = scenario.state(dr.east()).pv(claim);
    assertThat(oldPv).as("east's PV of %s before the failover", claim).isNotNull();
    SiteDisaster lost = SiteDisaster.of(dr, environment, dr.east());
    ClusterDown failover = scenario.failEastOverToWest(lost);
    List<Survivor> survivors = scenario.survivors(dr.west(), failover.acknowledged(), failover.timeline());
    failover.timeline().finish();
    scenario.recover(lost, TimeoutOperation.RESYNC);

    // east's volume was demoted by the recovery and resynced from west: it is west's secondary now
    assertStaleWriterRefused(oldPv, claim, "the failover and east's recovery (demoted, resynced)");
    assertWestIntact(scenario, claim, survivors.get(0).resumed());
  }

  /**
   * A writer given east's old PV of {@code claim} (re-created as a stale manifest would) must be
   * refused: east's volume is west's secondary after {@code after}.
   */
  private void assertStaleWriterRefused(PersistentVolume oldPv, String claim, String after) {
    StaleReplicaProbe.Seen seen = StaleReplicaProbe.writeThrough(dr, dr.east(), oldPv).await();
    dr.evidence().attach("writer on east's old PV after " + after, seen.toString());
    assertThat(seen.accepted())
        .as("east's volume of %s is west's secondary after %s, so it must refuse a read-write publish or the writes"
            + " (rule: a secondary is read-only, including through handles published before the demote, and refuses"
            + " read-write publish); seen: %s", claim, after, seen)
        .isFalse();
  }

  /** West's claim, its writer stopped, holds every record that writer acknowledged, intact. */
  private void assertWestIntact(FailoverScenario scenario, String claim, WriterReport stopped) {
    Verification onWest = scenario.app().verify(dr.west(), claim);
    assertThat(onWest.isPrefixOf(stopped) && onWest.corruptCount() == 0
            && onWest.lastContiguous() == stopped.lastAcked())
        .as("west's %s after the probe on east: every record west acknowledged, intact: %s", claim,
            onWest.describe(stopped))
        .isTrue();
  }

  /**
   * The window where both were primary is evidence (Ramen allows it in a forced Failover); it must
   * close within the failover timeout, and the target may hold nothing the source acknowledged
   * after the promote reached the target.
   */
  private void assertFailoverWindow(FailoverScenario scenario, PrimarySampler sampler, String claim, Duration limit,
      WriterReport source) {
    BothPrimaryWindow window = BothPrimaryWindow.of(claim, sampler.samples(FAILOVER, claim), "east", "west");
    dr.evidence().attach("both-primary window " + claim, window.describe());
    dr.evidence().measure("splitbrain.bothPrimary.seconds", window.open().toMillis() / 1000.0, "s");
    assertThat(window.closes())
        .as("during the Failover with both up the sampler must see west's driver primary and then east's not: %s;"
            + " timeline:%n%s", window.describe(), sampler.timeline())
        .isTrue();
    assertThat(window.open())
        .as("both drivers primary for %s: the window must close within the failover timeout %s: %s", claim, limit,
            window.describe())
        .isLessThanOrEqualTo(limit);
    long survived = scenario.app().writer(dr.west(), claim).progress().firstSequence();
    assertThat(window.sourceAckedByPromote())
        .as("east's writer progress when west's promote was seen: %s", window.describe())
        .isNotNull();
    // The sampler reads the progress line the writer prints every PROGRESS_INTERVAL, so what it saw
    // at the promote can be one interval old: allow what the writer acknowledges in one interval at
    // its own rate, plus the write in flight (CorrectDriverPassesTest once saw #531..#532 on west,
    // written before a promote the sampler had read as "#530 acknowledged").
    long inOneLine = recordsPerProgressLine(source);
    assertThat(survived)
        .as("%s: records on west when its writer resumed (#0..#%d) must be no more than east's writer had"
            + " acknowledged when west's promote was seen (#%d, read from a progress line up to %d ms old: %d records"
            + " at east's rate): a write east accepted after the promote reached west; %s", claim, survived - 1,
            window.sourceAckedByPromote(), WorkloadCommand.PROGRESS_INTERVAL.toMillis(), inOneLine,
            window.describe())
        .isLessThanOrEqualTo(window.sourceAckedByPromote() + 1 + inOneLine);
  }

  /** Records the writer acknowledges in one progress interval at its measured rate, rounded up. */
  private static long recordsPerProgressLine(WriterReport source) {
    if (source.startedAt() == null || source.lastAckedAt() == null || source.ackedCount() == 0) {
      return 0;
    }
    double seconds = Duration.between(source.startedAt(), source.lastAckedAt()).toMillis() / 1000.0;
    double perSecond = seconds <= 0 ? source.ackedCount() : source.ackedCount() / seconds;
    return (long) Math.ceil(perSecond * WorkloadCommand.PROGRESS_INTERVAL.toMillis() / 1000.0);
  }

  /**
   * After the clean-up (PeerReady, Completed, west replicating to east again) east is demoted:
   * its VRG Secondary and its driver answering that the volume is not primary; one primary is left,
   * west's.
   */
  private void assertOnePrimaryAfterwards(FailoverScenario scenario, PrimarySampler sampler, String claim) {
    List<Sample> after = sampler.samples(AFTER, claim);
    assertThat(after).as("samples after the failover's clean-up").isNotEmpty();
    Sample last = after.get(after.size() - 1);
    assertThat(last.primary("west") && "not primary".equals(last.driverRole().get("east")))
        .as("%s after the failover's clean-up: exactly one primary, west's, and east's volume demoted: %s", claim,
            last.line())
        .isTrue();
    ClusterState east = scenario.state(dr.east());
    assertThat(east.vrgState()).as("east's VRG after the failover's clean-up: %s", east.describe())
        .isEqualTo(Ramen.VrgState.SECONDARY.wire());
  }

  /**
   * A relocate as a user does it with both up: writers stopped on {@code from}, Relocate, the
   * application writing on {@code to} from the record after the last one {@code from} acknowledged
   * (zero loss, on the timeline with the RTO), then gone from {@code from}.
   */
  private void move(FailoverScenario scenario, ManagedSite from, ManagedSite to) {
    Map<String, WriterReport> stopped = scenario.app().stopWriters(from);
    DrTimeline timeline = scenario.relocate(from, to);
    for (String claim : scenario.app().protectedClaims()) {
      WriterReport resumed = scenario.app().writer(to, claim).progress();
      long lost = Math.max(0, stopped.get(claim).lastAcked() + 1 - resumed.firstSequence());
      String what = claim + ": " + from + " acknowledged up to #" + stopped.get(claim).lastAcked() + ", the writer on "
          + to + " resumed at #" + resumed.firstSequence();
      timeline.dataLoss(claim, lost, 0, what);
      assertThat(resumed.firstSequence()).as("relocate: %s", what).isEqualTo(stopped.get(claim).lastAcked() + 1);
    }
    timeline.finish();
    scenario.app().awaitRemovedFrom(from, TimeoutOperation.CLEANUP);
  }
}
