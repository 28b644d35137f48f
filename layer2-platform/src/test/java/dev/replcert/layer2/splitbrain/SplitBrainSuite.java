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
import dev.replcert.harness.workload.WriterReport;
import dev.replcert.layer2.fixture.DrFixture;
import dev.replcert.layer2.fixture.FailoverScenario;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * No DR action may leave both clusters' drivers treating a volume as a writable primary: a
 * sampler asks both drivers and reads both clusters' VRs every 2 s through deploy, relocate,
 * failback and a failover with both clusters up.
 */
@Certification
class SplitBrainSuite {

  private DrFixture dr;
  private Environment environment;

  @BeforeEach
  void setUp(TestInfo test, Environment environment, CertificationConfig config, ResourceTracker tracker,
      Evidence evidence) {
    this.dr = new DrFixture(DrFixture.plan(test), environment, config, tracker, evidence);
    this.environment = environment;
  }

  @Test
  @Disabled(
      "bundled-orchestrator gap (issue 6): a Failover with both clusters up promotes the target before the source VRG reports Secondary, so both drivers are primary for a moment; the orchestrator must wait for the reachable source's demotion first")
  @PlanItem("L2-SB-001")
  @RequiresCapability({Capability.REPLICATION, Capability.FORCE_PROMOTE})
  void noDrActionEverLeavesTwoWritablePrimaries() {
    FailoverScenario scenario = FailoverScenario.application(dr, environment, 1);
    PrimarySampler sampler = new PrimarySampler(dr, environment, scenario.drpc().name(),
        scenario.app().protectedClaims());

    scenario.deployOnEast();
    scenario.awaitReplicated(dr.east());
    // each next action once the application left the cluster it moved from, as a user would: its
    // PVCs there go only after the VRG demoted their volumes
    scenario.relocate(dr.east(), dr.west()).finish();
    scenario.app().awaitRemovedFrom(dr.east(), TimeoutOperation.CLEANUP);
    scenario.relocate(dr.west(), dr.east()).finish();
    scenario.app().awaitRemovedFrom(dr.west(), TimeoutOperation.CLEANUP);
    scenario.drpc().failover("west");
    scenario.drpc().awaitPhase(Ramen.Phase.FAILED_OVER, TimeoutOperation.FAILOVER);
    scenario.app().awaitWriting(dr.west(), TimeoutOperation.FAILOVER);
    scenario.drpc().awaitCondition(Ramen.DrpcCondition.PEER_READY, "True", null, TimeoutOperation.FAILOVER);
    scenario.drpc().awaitProgression(Ramen.Progression.COMPLETED, TimeoutOperation.FAILOVER);
    sampler.finish("VR states and driver roles every 2 s (deploy, relocate, failback, failover)");

    assertThat(sampler.primarySamples("east") > 0 && sampler.primarySamples("west") > 0)
        .as("the sampler must have seen each driver primary at some point (else it probes nothing): %s",
            sampler.timeline())
        .isTrue();
    assertThat(sampler.twoPrimaries())
        .as("samples where both drivers answered GetVolumeReplicationInfo as primary for the same volume"
            + " (two writable primaries); whole timeline:%n%s", sampler.timeline())
        .isEmpty();
    Map<String, WriterReport> written = scenario.app().stopWriters(dr.west());
    for (String claim : scenario.app().protectedClaims()) {
      Verification onWest = scenario.app().verify(dr.west(), claim);
      WriterReport w = written.get(claim);
      assertThat(onWest.isPrefixOf(w) && onWest.lastContiguous() == w.lastAcked())
          .as("%s on west after deploy, two relocates and a failover: one intact history: %s", claim,
              onWest.describe(w))
          .isTrue();
    }
  }
}
