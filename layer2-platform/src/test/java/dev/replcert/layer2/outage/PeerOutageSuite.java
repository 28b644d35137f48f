package dev.replcert.layer2.outage;

import static org.assertj.core.api.Assertions.assertThat;

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
import dev.replcert.layer2.fixture.Protection;
import dev.replcert.layer2.fixture.ProtectedRun;
import dev.replcert.layer2.fixture.SiteDisaster;
import io.openshift.storage.replication.v1alpha1.VolumeReplication;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * The secondary cluster lost while the application runs on the primary: nothing fails over, but a
 * user must be told that the data is no longer protected. What tells them is the primary's
 * VolumeReplications (csi-addons turns the driver's HEALTHY into Replicating=True) and the DRPC's
 * lastGroupSyncTime; a driver that stays HEALTHY with its peer gone hides a growing RPO.
 */
@Certification
class PeerOutageSuite {

  /** The Replicating condition csi-addons keeps on a primary VolumeReplication. */
  private static final String REPLICATING = "Replicating";

  /** Clock skew allowed between this runner and the primary cluster's storage. */
  private static final Duration CLOCK_SKEW = Duration.ofSeconds(2);

  private DrFixture dr;
  private Environment environment;

  @BeforeEach
  void setUp(TestInfo test, Environment environment, CertificationConfig config, ResourceTracker tracker,
      Evidence evidence) {
    this.environment = environment;
    dr = new DrFixture(DrFixture.plan(test), environment, config, tracker, evidence);
  }

  @Test
  @PlanItem("L2-PEER-001")
  @RequiresCapability(Capability.REPLICATION)
  void withTheSecondaryClusterDownThePrimaryStopsReportingHealthyReplicationAndTheApplicationWritesOn() {
    ProtectedRun run = ProtectedRun.onEast(dr, environment, 1);
    SiteDisaster west = SiteDisaster.of(dr, environment, dr.west());
    // the driver notices at its next sync (within 2x the interval, as layer 1 demands); the VR
    // controller reads the status at its next poll (within one more interval)
    Duration noticeLimit = run.interval().multipliedBy(3).plus(dr.waits().timeout(TimeoutOperation.POLL));
    run.awaitSyncAfter(Instant.now(), "replicating before west is taken down", run.interval().multipliedBy(20));
    List<VolumeReplication> healthy = awaitVrs("report Replicating=True at their generation before the outage",
        dr.waits().timeout(TimeoutOperation.POLL).plus(noticeLimit),
        vrs -> vrs.stream().allMatch(v -> Protection.vrConditionIs(v, REPLICATING, "True")
            || withoutReplicatingCondition(v)));
    Assumptions.assumeFalse(healthy.stream().anyMatch(PeerOutageSuite::withoutReplicatingCondition),
        "the VolumeReplication controller reports no Replicating condition (csi-addons before it had one),"
            + " so the primary's replication health is not visible: " + Protection.describe(healthy));

    Instant cut = west.takeDown();
    List<VolumeReplication> degraded = awaitVrs(
        "leave Replicating=True within 2x the sync interval (plus a poll) of west going down at " + cut
            + " (status is not HEALTHY when replication cannot reach the peer)",
        noticeLimit, vrs -> vrs.stream().noneMatch(v -> Protection.vrConditionIs(v, REPLICATING, "True")));
    dr.evidence().measure("replicating.false.after.seconds", Duration.between(cut, Instant.now()).toMillis() / 1000.0, "s");
    dr.evidence().attach("VolumeReplications on east with west down", Protection.describe(degraded));

    long ackedAtCut = acked(run);
    Instant twoIntervalsLater = Instant.now().plus(run.interval().multipliedBy(2));
    long acked = dr.waits().until("the writer on east acknowledging records for two sync intervals with west down",
        TimeoutOperation.POD_START, () -> acked(run), a -> !Instant.now().isBefore(twoIntervalsLater));
    assertThat(acked).as("records the writer on east acknowledged while west was down").isGreaterThan(ackedAtCut);
    Instant synced = run.lastGroupSyncTime().orElseThrow();
    assertThat(synced)
        .as("the DRPC's lastGroupSyncTime two intervals after west went down at %s: no sync can reach a cluster"
            + " that is down, so it must not pass the cut (allowing %s of clock skew)", cut, CLOCK_SKEW)
        .isBeforeOrEqualTo(cut.plus(CLOCK_SKEW));
    dr.evidence().measure("rpo.exposure.seconds", Duration.between(synced, Instant.now()).toMillis() / 1000.0, "s");

    Instant up = west.bringUp();
    Duration recovery = noticeLimit.plus(dr.waits().timeout(TimeoutOperation.RESYNC));
    awaitVrs("report Replicating=True again once west is back at " + up, recovery,
        vrs -> vrs.stream().allMatch(v -> Protection.vrConditionIs(v, REPLICATING, "True")));
    run.awaitSyncAfter(up, "replication resumes once west is back", recovery);
    dr.evidence().measure("recovery.seconds", Duration.between(up, Instant.now()).toMillis() / 1000.0, "s");
  }

  private List<VolumeReplication> awaitVrs(String what, Duration limit, Predicate<List<VolumeReplication>> done) {
    return dr.waits().until("VolumeReplications of " + dr.namespace() + " on east " + what, limit,
        this::vrsOnEast, seen -> !seen.vrs().isEmpty() && done.test(seen.vrs())).vrs();
  }

  private Seen vrsOnEast() {
    return new Seen(
        dr.east().client().resources(VolumeReplication.class).inNamespace(dr.namespace()).list().getItems());
  }

  /** The VRs as one poll saw them; printed with their conditions when a wait times out. */
  private record Seen(List<VolumeReplication> vrs) {
    @Override
    public String toString() {
      return Protection.describe(vrs);
    }
  }

  private static boolean withoutReplicatingCondition(VolumeReplication vr) {
    return vr.getStatus() != null && vr.getStatus().getConditions() != null
        && vr.getStatus().getConditions().stream().noneMatch(c -> REPLICATING.equals(c.getType()))
        && vr.getStatus().getConditions().stream().anyMatch(c -> "Completed".equals(c.getType()));
  }

  private static long acked(ProtectedRun run) {
    return run.progress(run.dr().east()).values().stream().mapToLong(WriterReport::ackedCount).sum();
  }
}
