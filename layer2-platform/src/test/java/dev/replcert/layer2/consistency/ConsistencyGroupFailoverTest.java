package dev.replcert.layer2.consistency;

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
import dev.replcert.layer2.fixture.DrFixture;
import dev.replcert.layer2.fixture.DrTimeline;
import dev.replcert.layer2.fixture.FailoverScenario;
import dev.replcert.layer2.fixture.ManagedSite;
import dev.replcert.layer2.fixture.RpoBound;
import dev.replcert.layer2.fixture.SiteDisaster;
import dev.replcert.layer2.fixture.Survivor;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * Ramen's consistency groups: the DRPC asks for them, so the application's two claims replicate as
 * one group, and a writer makes each record on the second volume depend on the first's. After east
 * is lost mid-write and the application fails over, west's two volumes must be one point in time:
 * the application (the writer, resuming) finds the same last record on both or one fewer on the
 * second, and each volume is a contiguous prefix within the RPO bound.
 */
@Certification
class ConsistencyGroupFailoverTest {

  private DrFixture dr;
  private Environment environment;

  @BeforeEach
  void setUp(TestInfo test, Environment environment, CertificationConfig config, ResourceTracker tracker,
      Evidence evidence) {
    this.dr = new DrFixture(DrFixture.plan(test), environment, config, tracker, evidence);
    this.environment = environment;
  }

  @Test
  @PlanItem("L2-CG-001")
  @RequiresCapability({Capability.REPLICATION, Capability.FORCE_PROMOTE, Capability.VOLUME_GROUP})
  void aConsistencyGroupFailsOverWithEveryMemberAtOnePointInTime() {
    FailoverScenario scenario = FailoverScenario.consistencyGroupOnEast(dr, environment);
    SiteDisaster east = SiteDisaster.of(dr, environment, dr.east());
    RpoBound bound = scenario.awaitReplicated(dr.east());
    Map<String, WriterReport> acknowledged = scenario.freshlyAcknowledged(dr.east());
    Instant cut = east.takeDown();
    dr.evidence().attach("acknowledged on east before the cut", acknowledged + " (read before " + cut + ")");

    Instant set = scenario.drpc().failover("west");
    DrTimeline timeline = DrTimeline.start(dr, scenario.drpc(), "Failover", "east", "west", set);
    scenario.drpc().awaitPhase(Ramen.Phase.FAILED_OVER, TimeoutOperation.FAILOVER);
    String writer = awaitWriterOutcome(scenario, dr.west());
    assertThat(writer)
        .as("rule: group replication keeps all members at one point in time. The application's writer on west"
            + " found its two volumes, replicated as one consistency group, at different points in time: %s",
            writer)
        .startsWith("writing");
    timeline.workloadReady(scenario.app().awaitWriting(dr.west(), TimeoutOperation.FAILOVER));

    List<Survivor> kept = scenario.survivors(dr.west(), acknowledged, timeline);
    timeline.finish();
    dr.evidence().measure("rpo.bound", bound.seconds(), "s");
    for (Survivor s : kept) {
      assertThat(s.contiguous() && s.lostSeconds() <= bound.seconds())
          .as("each member on west must be a crash-consistent prefix within the RPO bound %s: %s",
              bound.describe(), s.describe())
          .isTrue();
    }
  }

  /**
   * Waits until the dependent writer on the site acknowledges records ("writing ...") or ends; an
   * ended writer is described by its termination message (why it refused to resume).
   */
  private String awaitWriterOutcome(FailoverScenario scenario, ManagedSite site) {
    String pod = scenario.app().writerPod(scenario.app().protectedClaims().get(0));
    return dr.waits().until("the dependent writer on " + site.name() + " writes or ends", TimeoutOperation.FAILOVER,
        () -> {
          Pod p = site.client().pods().inNamespace(dr.namespace()).withName(pod).get();
          ContainerStateTerminated ended = p == null || p.getStatus() == null
              || p.getStatus().getContainerStatuses() == null ? null
              : p.getStatus().getContainerStatuses().stream().map(ContainerStatus::getState)
                  .filter(st -> st != null && st.getTerminated() != null).map(st -> st.getTerminated())
                  .findFirst().orElse(null);
          if (ended != null) {
            return "ended (exit " + ended.getExitCode() + "): " + ended.getMessage();
          }
          if (p == null || p.getStatus() == null || !"Running".equals(p.getStatus().getPhase())) {
            return "pod " + (p == null ? "absent" : String.valueOf(p.getStatus()));
          }
          WriterReport report = scenario.app().writer(site, scenario.app().protectedClaims().get(0)).progress();
          return report.ackedCount() > 0 ? "writing " + report : "running " + report;
        },
        s -> s.startsWith("writing") || s.startsWith("ended"));
  }
}
