package dev.replcert.layer2.scale;

import static org.assertj.core.api.Assertions.assertThat;

import dev.replcert.api.k8s.Ramen;
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
import dev.replcert.layer2.fixture.CutLoss;
import dev.replcert.layer2.fixture.DrFixture;
import dev.replcert.layer2.fixture.DrTimeline;
import dev.replcert.layer2.fixture.ProtectedApplication;
import dev.replcert.layer2.fixture.ProtectedRun;
import dev.replcert.layer2.fixture.Restored;
import dev.replcert.layer2.fixture.SiteDisasters;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/** A cluster-down failover of an application with ten PVCs, each with its own writer. */
@Certification
class TenClaimFailoverTest {

  private static final int CLAIMS = 10;

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
  @PlanItem("L2-FO-003")
  @RequiresCapability({Capability.REPLICATION, Capability.FORCE_PROMOTE})
  void aFailoverOfTenClaimsRestoresEveryClaimWithAPrefixWithinTheBound() {
    DisasterInjector disasters = SiteDisasters.of(environment, "east");
    ProtectedRun run = ProtectedRun.onEast(dr, environment, CLAIMS);
    ProtectedApplication app = run.app();
    run.awaitHistoryLongerThanTheBound();

    run.progress(dr.east());
    SiteDisasters.takeDown(disasters, "east", tracker);
    Map<String, WriterReport> beforeCut = run.progress(dr.east());
    Instant set = run.drpc().failover("west");
    DrTimeline timeline = DrTimeline.start(dr, run.drpc(), "Failover", "east", "west", set);
    run.drpc().awaitPhase(Ramen.Phase.FAILED_OVER, TimeoutOperation.FAILOVER);
    timeline.workloadReady(app.awaitWriting(dr.west(), TimeoutOperation.FAILOVER));

    List<String> notRestored = new ArrayList<>();
    for (String claim : app.protectedClaims()) {
      String problem = Restored.problem(dr.west(), dr.namespace(), claim);
      if (!problem.isEmpty()) {
        notRestored.add(problem);
      }
    }
    Map<String, WriterReport> resumed = app.stopWriters(dr.west());
    List<CutLoss> losses = new ArrayList<>();
    for (String claim : app.protectedClaims()) {
      // one at a time: ten verifier pods at once overran the verify timeout in the lab
      CutLoss loss = new CutLoss(claim, beforeCut.get(claim), resumed.get(claim), app.verify(dr.west(), claim));
      losses.add(loss);
      timeline.dataLoss(claim, loss.lostRecords(), loss.lostTime().toMillis() / 1000.0, loss.describe());
    }
    timeline.finish();
    evidence.measure("rpo.bound", run.rpoBound().toMillis() / 1000.0, "s");

    assertThat(notRestored).as("every one of the %d PVCs on west Bound to a PV restored from S3", CLAIMS).isEmpty();
    SoftAssertions each = new SoftAssertions();
    for (CutLoss loss : losses) {
      each.assertThat(loss.oneHistory())
          .as("%s: west must hold a crash-consistent prefix the resumed writer continued without a gap: %s",
              loss.claim(), loss.describe())
          .isTrue();
      each.assertThat(loss.lostTime())
          .as("%s lost more than the RPO bound %s: %s", loss.claim(), run.describeBound(), loss.describe())
          .isLessThanOrEqualTo(run.rpoBound());
    }
    each.assertAll();
  }
}
