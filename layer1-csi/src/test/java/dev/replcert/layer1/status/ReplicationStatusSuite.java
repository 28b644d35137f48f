package dev.replcert.layer1.status;

import static dev.replcert.layer1.support.ReplicationFixture.instant;
import static dev.replcert.layer1.support.ReplicationFixture.seconds;
import static dev.replcert.layer1.support.ReplicationFixture.source;
import static org.assertj.core.api.Assertions.assertThat;

import dev.replcert.api.csiaddons.replication.GetVolumeReplicationInfoResponse;
import dev.replcert.api.csiaddons.replication.GetVolumeReplicationInfoResponse.Status;
import dev.replcert.harness.config.Capability;
import dev.replcert.harness.config.CertificationConfig;
import dev.replcert.harness.config.TimeoutOperation;
import dev.replcert.harness.config.TimeoutProfile;
import dev.replcert.harness.junit.Certification;
import dev.replcert.harness.junit.PlanItem;
import dev.replcert.harness.junit.RequiresCapability;
import dev.replcert.harness.junit.Site;
import dev.replcert.harness.record.Evidence;
import dev.replcert.harness.spi.DisasterInjector;
import dev.replcert.harness.spi.DriverEndpoint;
import dev.replcert.harness.spi.Environment;
import dev.replcert.harness.track.ResourceTracker;
import dev.replcert.layer1.support.ReplicationFixture;
import dev.replcert.layer1.support.Sampler.Sample;
import dev.replcert.layer1.support.SiteDriver;
import dev.replcert.layer1.support.Targets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What GetVolumeReplicationInfo tells a DR orchestrator: last_sync_time is Ramen's RPO clock
 * (DRPC lastGroupSyncTime) and status drives the csi-addons Replicating condition. A driver that
 * reports a sync that did not happen, or HEALTHY with a dead peer, hides data at risk.
 */
@Certification
class ReplicationStatusSuite {

  /**
   * How far the driver's clock may be ahead of or behind the harness's before a last_sync_time
   * counts as in the future or before replication began (endpoint mode compares two machines).
   */
  static final Duration CLOCK_SKEW = Duration.ofSeconds(2);

  private ReplicationFixture replication;
  private SiteDriver east;
  private Duration interval;
  private Evidence evidence;
  private TimeoutProfile timeouts;

  @BeforeEach
  void connect(
      @Site("east") DriverEndpoint eastEndpoint,
      @Site("west") DriverEndpoint westEndpoint,
      CertificationConfig config,
      Environment environment,
      ResourceTracker tracker,
      Evidence evidence) {
    replication =
        new ReplicationFixture(eastEndpoint, westEndpoint, config, environment, tracker, evidence);
    east = replication.east();
    interval = replication.interval();
    this.evidence = evidence;
    this.timeouts = config.timeoutProfile();
    evidence.measure("syncInterval", interval.toMillis() / 1000.0, "s");
  }

  @Test
  @PlanItem("L1-STAT-001")
  @RequiresCapability(Capability.REPLICATION)
  void lastSyncTimeIsSetAndNeverInTheFuture() {
    String id = replication.mustCreateVolume("stat-001");
    Instant enabledAt = Instant.now();
    east.mustEnable(source(id));
    east.mustPromote(source(id), false);
    replication.awaitFirstSync(east, id);

    List<Sample<GetVolumeReplicationInfoResponse>> samples =
        sample(id, interval.dividedBy(2), interval.multipliedBy(3));
    for (Sample<GetVolumeReplicationInfoResponse> sample : samples) {
      GetVolumeReplicationInfoResponse info = sample.value();
      String seen = "east: GetVolumeReplicationInfo of volume " + id + " called at " + sample.before()
          + " answered " + ReplicationFixture.describe(info);
      assertThat(info.hasLastSyncTime())
          .as("%s: last_sync_time must be set after the first sync (without it Ramen's DRPC never"
              + " becomes ready)", seen).isTrue();
      assertThat(instant(info.getLastSyncTime()))
          .as("%s: last_sync_time is never in the future (allowing %s of clock skew)", seen, CLOCK_SKEW)
          .isBeforeOrEqualTo(sample.after().plus(CLOCK_SKEW))
          .as("%s: last_sync_time is never before replication was enabled at %s (allowing %s of clock"
              + " skew)", seen, enabledAt, CLOCK_SKEW)
          .isAfterOrEqualTo(enabledAt.minus(CLOCK_SKEW));
      assertThat(info.getLastSyncDuration().getSeconds() >= 0 && info.getLastSyncDuration().getNanos() >= 0)
          .as("%s: last_sync_duration is never negative", seen).isTrue();
      assertThat(info.getLastSyncBytes()).as("%s: last_sync_bytes is never negative", seen)
          .isGreaterThanOrEqualTo(0);
    }
  }

  @Test
  @PlanItem("L1-STAT-002")
  @RequiresCapability(Capability.REPLICATION)
  void lastSyncTimeIsMonotonicAndAdvancesWithinTwiceTheIntervalWhileHealthy() {
    String id = replication.mustReplicate("stat-002");
    replication.startWriterIfDataPath(east, id);

    SyncTimeline timeline =
        new SyncTimeline(sample(id, interval.dividedBy(4), interval.multipliedBy(5)));
    evidence.attach("last_sync_time samples", timeline.render());
    evidence.measure("lastSync.longestStandstill", timeline.longestStandstill().toMillis() / 1000.0, "s");
    evidence.measure("lastSync.largestStep", timeline.largestStep().toMillis() / 1000.0, "s");
    evidence.measure("lastSync.largestLag", timeline.largestLag().toMillis() / 1000.0, "s");
    evidence.measure("lastSync.advances", timeline.advances(), "advances");

    assertThat(timeline.firstUnset())
        .as("east: a sample of volume %s without last_sync_time after the first sync:%n%s", id,
            timeline.render()).isEqualTo(-1);
    assertThat(timeline.firstBackwards())
        .as("east: last_sync_time of volume %s never goes backwards, but sample #%d went back:%n%s",
            id, timeline.firstBackwards(), timeline.render()).isEqualTo(-1);
    assertThat(timeline.longestStandstill())
        .as("east: last_sync_time of volume %s stood still for at least %s while replication was"
                + " healthy; it must advance within twice the sync interval (%s), the ramenctl"
                + " warning threshold:%n%s",
            id, timeline.longestStandstill(), replication.twiceInterval(), timeline.render())
        .isLessThanOrEqualTo(replication.twiceInterval());
  }

  @Test
  @PlanItem("L1-STAT-003")
  @RequiresCapability(Capability.REPLICATION)
  void replicationStatusIsHealthyWhileTheVolumeReplicatesNormally() {
    String id = replication.mustReplicate("stat-003");

    List<Sample<GetVolumeReplicationInfoResponse>> samples =
        sample(id, interval.dividedBy(2), interval.multipliedBy(3));
    assumeStatusReported(samples.get(0).value());
    for (Sample<GetVolumeReplicationInfoResponse> sample : samples) {
      assertThat(sample.value().getStatus())
          .as("east: status of volume %s at %s while replicating normally (%s); the csi-addons"
                  + " controller maps HEALTHY to Replicating=True",
              id, sample.before(), ReplicationFixture.describe(sample.value()))
          .isEqualTo(Status.HEALTHY);
      assertThat(sample.value().getLastSyncBytes())
          .as("east: last_sync_bytes of volume %s is never negative", id).isGreaterThanOrEqualTo(0);
    }
  }

  @Test
  @PlanItem("L1-STAT-004")
  @RequiresCapability(Capability.REPLICATION)
  void statusLeavesHealthyAndLastSyncTimeStopsWhileThePeerIsUnreachable(Environment environment) {
    DisasterInjector disasters = Targets.disasters(environment, "west");
    String id = replication.mustReplicate("stat-004");
    replication.startWriterIfDataPath(east, id);
    assumeStatusReported(east.mustGetInfo(source(id)));
    awaitStatus(id, "HEALTHY before west is cut", timeouts.of(TimeoutOperation.REPLICATION_ESTABLISHED),
        r -> r.getStatus() == Status.HEALTHY);

    Instant cut = replication.takeDown(disasters, "west");
    GetVolumeReplicationInfoResponse down = awaitStatus(id,
        "no longer HEALTHY with west down (status is not HEALTHY when replication cannot reach"
            + " the peer)", withinTwiceInterval(), r -> r.getStatus() != Status.HEALTHY).value();
    evidence.measure("statusLeftHealthyAfter", seconds(cut, Instant.now()), "s");
    assertLastSyncStoodStill(id, cut, down);

    Instant up = replication.bringUp(disasters, "west");
    Instant stoodAt = down.hasLastSyncTime() ? instant(down.getLastSyncTime()) : Instant.MIN;
    awaitStatus(id, "HEALTHY again with a last_sync_time past " + stoodAt + " once west is back"
            + " (replication resumes, and says so, within twice the sync interval)",
        withinTwiceInterval(), r -> r.getStatus() == Status.HEALTHY && r.hasLastSyncTime()
            && instant(r.getLastSyncTime()).isAfter(stoodAt));
    evidence.measure("recoveryAfterPeerBack", seconds(up, Instant.now()), "s");
  }

  // ---------------------------------------------------------------- helpers

  /** While the peer is down: DEGRADED or ERROR on every sample, and last_sync_time frozen. */
  private void assertLastSyncStoodStill(String id, Instant cut, GetVolumeReplicationInfoResponse down) {
    assertThat(down.getStatus())
        .as("east: status of volume %s with west down: %s", id, ReplicationFixture.describe(down))
        .isIn(Status.DEGRADED, Status.ERROR);
    SyncTimeline whileDown = new SyncTimeline(sample(id, interval.dividedBy(4), interval.multipliedBy(3)));
    evidence.attach("samples while west was down", whileDown.render());
    for (Sample<GetVolumeReplicationInfoResponse> sample : whileDown.samples()) {
      GetVolumeReplicationInfoResponse info = sample.value();
      assertThat(info.getStatus())
          .as("east: status of volume %s at %s with west down (%s)", id, sample.before(),
              ReplicationFixture.describe(info))
          .isIn(Status.DEGRADED, Status.ERROR);
      assertThat(info.getLastSyncTime())
          .as("east: last_sync_time of volume %s moved while west was down (cut at %s; first seen"
                  + " down: %s, at %s: %s); last_sync_time must reflect a real applied sync, and"
                  + " none can reach a site that is down:%n%s",
              id, cut, ReplicationFixture.describe(down), sample.before(),
              ReplicationFixture.describe(info), whileDown.render())
          .isEqualTo(down.getLastSyncTime());
    }
    if (down.hasLastSyncTime()) {
      assertThat(instant(down.getLastSyncTime()))
          .as("east: last_sync_time of volume %s with west down is after the cut at %s (allowing %s"
              + " of clock skew)", id, cut, CLOCK_SKEW)
          .isBeforeOrEqualTo(cut.plus(CLOCK_SKEW));
    }
  }

  private Sample<GetVolumeReplicationInfoResponse> awaitStatus(
      String id, String condition, Duration limit,
      java.util.function.Predicate<GetVolumeReplicationInfoResponse> done) {
    return replication.sampler().until(
        "status of volume " + id + " on east is " + condition + " (within " + limit + ")",
        interval.dividedBy(4), limit, info(id), done, ReplicationFixture::describe);
  }

  private Duration withinTwiceInterval() {
    return replication.twiceInterval().plus(replication.pollSlack());
  }

  private List<Sample<GetVolumeReplicationInfoResponse>> sample(String id, Duration every, Duration during) {
    return replication.sampler().sample(
        "GetVolumeReplicationInfo of volume " + id + " on east", every, during, info(id));
  }

  private Supplier<GetVolumeReplicationInfoResponse> info(String id) {
    return () -> east.mustGetInfo(source(id));
  }

  /** The status field is optional in older drivers: absent is "not reported", never a pass. */
  private static void assumeStatusReported(GetVolumeReplicationInfoResponse info) {
    Assumptions.assumeTrue(info.getStatus() != Status.UNKNOWN,
        "the driver does not report GetVolumeReplicationInfo.status (answered "
            + ReplicationFixture.describe(info) + "): replication health is not reported, so it"
            + " cannot be certified");
  }
}
