package dev.replcert.layer2.failover;

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
import dev.replcert.layer2.fixture.ClusterState;
import dev.replcert.layer2.fixture.DrFixture;
import dev.replcert.layer2.fixture.DrTimeline;
import dev.replcert.layer2.fixture.FailoverScenario;
import dev.replcert.layer2.fixture.RpoBound;
import dev.replcert.layer2.fixture.Survivor;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * A Failover while east still runs (the user does not wait for a final sync): the application
 * moves to west with what west held when it took over, east is demoted (its later writes are
 * discarded by the resync) and becomes the secondary west now replicates to.
 */
@Certification
class FailoverWithBothUpSuite {

  private DrFixture dr;
  private Environment environment;

  @BeforeEach
  void setUp(TestInfo test, Environment environment, CertificationConfig config, ResourceTracker tracker,
      Evidence evidence) {
    this.dr = new DrFixture(DrFixture.plan(test), environment, config, tracker, evidence);
    this.environment = environment;
  }

  @Test
  @PlanItem("L2-FO-002")
  @RequiresCapability({Capability.REPLICATION, Capability.FORCE_PROMOTE, Capability.RESYNC})
  void aFailoverWithBothClustersUpMovesTheApplicationAndMakesEastTheSecondary() {
    FailoverScenario scenario = FailoverScenario.protectedOnEast(dr, environment, 2);
    RpoBound bound = scenario.awaitReplicated(dr.east());
    Map<String, WriterReport> acknowledged = scenario.freshlyAcknowledged(dr.east());

    Instant set = scenario.drpc().failover("west");
    DrTimeline timeline = DrTimeline.start(dr, scenario.drpc(), "Failover", "east", "west", set);
    scenario.drpc().awaitPhase(Ramen.Phase.FAILED_OVER, TimeoutOperation.FAILOVER);
    timeline.workloadReady(scenario.app().awaitWriting(dr.west(), TimeoutOperation.FAILOVER));
    ClusterDownFailoverSuite.assertPrimaryRestoredFromS3(scenario, scenario.state(dr.west()));
    dr.evidence().attach("written on east after the Failover was set (discarded by design)",
        scenario.acknowledged(dr.east()).toString());

    scenario.drpc().awaitCondition(Ramen.DrpcCondition.PEER_READY, "True", null, TimeoutOperation.FAILOVER);
    scenario.drpc().awaitProgression(Ramen.Progression.COMPLETED, TimeoutOperation.FAILOVER);
    ClusterState east = scenario.state(dr.east());
    assertThat(east.vrgState()).as("east's VRG after the failover's cleanup: %s", east.describe())
        .isEqualTo(Ramen.VrgState.SECONDARY.wire());
    scenario.awaitReplicatingAfter(Instant.now());

    List<Survivor> kept = scenario.survivors(dr.west(), acknowledged, timeline);
    timeline.finish();
    dr.evidence().measure("rpo.bound", bound.seconds(), "s");
    for (Survivor s : kept) {
      assertThat(s.contiguous() && s.lostSeconds() <= bound.seconds())
          .as("west must hold a crash-consistent prefix of what east acknowledged before the Failover, within"
              + " the RPO bound %s: %s", bound.describe(), s.describe())
          .isTrue();
    }
  }
}
