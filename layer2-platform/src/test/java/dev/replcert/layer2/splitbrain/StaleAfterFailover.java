package dev.replcert.layer2.splitbrain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.replcert.api.k8s.Ramen;
import dev.replcert.harness.config.TimeoutOperation;
import dev.replcert.harness.spi.Environment;
import dev.replcert.harness.workload.Verification;
import dev.replcert.harness.workload.WriterReport;
import dev.replcert.layer2.fixture.DrFixture;
import dev.replcert.layer2.fixture.DrTimeline;
import dev.replcert.layer2.fixture.FailoverScenario;
import dev.replcert.layer2.fixture.RpoBound;
import dev.replcert.layer2.fixture.SiteDisaster;
import dev.replcert.layer2.fixture.Survivor;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The stale-primary check after a cluster-down failover, shared by L2-SB-002 and L2-FENCE-002:
 * east is lost mid-write ({@code whileEastDown} runs then, e.g. fencing it), the user fails over to
 * west, west's data is checked; east comes back and its old primary VRG is re-applied
 * ({@link StalePrimary}); for a window of several sync intervals east's VRG must not report Primary
 * over Completed VRs and east's driver must not answer primary for the volume; east's writers
 * must have acknowledged nothing after the cut, and west's verifier must read what it read before.
 */
public final class StaleAfterFailover {

  static final String FAILOVER = "cluster-down failover to west";
  static final String STALE = "east back, stale primary VRG re-applied";

  private final DrFixture dr;
  private final Environment environment;
  private final FailoverScenario scenario;
  private final PrimarySampler sampler;

  public StaleAfterFailover(DrFixture dr, Environment environment, FailoverScenario scenario) {
    this.dr = dr;
    this.environment = environment;
    this.scenario = scenario;
    this.sampler = new PrimarySampler(dr, environment, scenario.drpc().name(), scenario.app().protectedClaims());
  }

  /** Runs the scenario and asserts it; {@code whileEastDown} runs right after east is cut. */
  public void run(Runnable whileEastDown) {
    SiteDisaster lost = SiteDisaster.of(dr, environment, dr.east());
    RpoBound bound = scenario.awaitReplicated(dr.east());
    Map<String, WriterReport> acknowledged = scenario.freshlyAcknowledged(dr.east());
    sampler.phase(FAILOVER);
    Instant cut = lost.takeDown();
    whileEastDown.run();
    Instant set = scenario.drpc().failover("west");
    DrTimeline timeline = DrTimeline.start(dr, scenario.drpc(), "Failover", "east", "west", set);
    scenario.drpc().awaitPhase(Ramen.Phase.FAILED_OVER, TimeoutOperation.FAILOVER);
    timeline.workloadReady(scenario.app().awaitWriting(dr.west(), TimeoutOperation.FAILOVER));
    List<Survivor> kept = scenario.survivors(dr.west(), acknowledged, timeline);
    timeline.finish();
    Map<String, Verification> before = new LinkedHashMap<>();
    for (Survivor s : kept) {
      assertThat(s.contiguous() && s.lostSeconds() <= bound.seconds())
          .as("west after the cluster-down failover: a crash-consistent prefix within %s: %s", bound.describe(),
              s.describe())
          .isTrue();
      before.put(s.claim(), s.onSurvivor());
    }

    sampler.phase(STALE);
    lost.bringUp();
    StalePrimary stale = StalePrimary.reapply(dr, scenario.state(dr.east()), TimeoutOperation.RESYNC);
    Duration window = RpoBound.syncInterval(dr, environment).multipliedBy(5).plus(Duration.ofSeconds(10));
    String watched = stale.assertNoPrimaryFor(window, () -> eastDriverPrimarySince(stale.at()));
    dr.evidence().attach("east's VRG and VRs while the stale primary VRG was applied", watched);

    for (String claim : scenario.app().protectedClaims()) {
      WriterReport east = scenario.app().writer(dr.east(), claim).progress();
      assertThat(east.lastAckedAt() == null || !east.lastAckedAt().isAfter(cut))
          .as("%s: east's writer must have acknowledged nothing after east was cut at %s: %s", claim, cut, east)
          .isTrue();
      Verification again = scenario.app().verify(dr.west(), claim);
      assertThat(again).as("%s: west's verifier after east's stale primary VRG; before it: %s; now: %s", claim,
          before.get(claim).describe(), again.describe()).isEqualTo(before.get(claim));
    }
    stale.undo();
    scenario.drpc().awaitCondition(Ramen.DrpcCondition.PEER_READY, "True", null, TimeoutOperation.RESYNC);
    scenario.drpc().awaitProgression(Ramen.Progression.COMPLETED, TimeoutOperation.RESYNC);
    sampler.finish("VR states and driver roles every " + PrimarySampler.EVERY.toMillis()
        + " ms (cluster-down failover, east back with a stale primary VRG)");
  }

  /** A sample since {@code since} where east's driver answered primary, or null. */
  private String eastDriverPrimarySince(Instant since) {
    return scenario.app().protectedClaims().stream()
        .flatMap(c -> sampler.samples(STALE, c).stream())
        .filter(s -> !s.at().isBefore(since) && s.primary("east"))
        .map(s -> "east's driver primary: " + s.line())
        .findFirst().orElse(null);
  }
}
