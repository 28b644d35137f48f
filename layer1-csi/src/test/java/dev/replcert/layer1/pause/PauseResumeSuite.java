package dev.replcert.layer1.pause;

import static org.assertj.core.api.Assertions.assertThat;

import dev.replcert.api.csiaddons.replication.ReplicationSource;
import dev.replcert.harness.config.Capability;
import dev.replcert.harness.config.CapabilityProfile;
import dev.replcert.harness.config.CertificationConfig;
import dev.replcert.harness.config.TimeoutOperation;
import dev.replcert.harness.junit.Certification;
import dev.replcert.harness.junit.PlanItem;
import dev.replcert.harness.junit.RequiresCapability;
import dev.replcert.harness.junit.Site;
import dev.replcert.harness.record.Evidence;
import dev.replcert.harness.spi.DisasterInjector;
import dev.replcert.harness.spi.DriverEndpoint;
import dev.replcert.harness.spi.Environment;
import dev.replcert.harness.spi.ReplicationControl;
import dev.replcert.harness.track.ResourceTracker;
import dev.replcert.harness.volume.VolumeIo;
import dev.replcert.harness.workload.RecordFormat;
import dev.replcert.harness.workload.RecordWriter;
import dev.replcert.harness.workload.Verification;
import dev.replcert.harness.workload.WriterReport;
import dev.replcert.layer1.support.VolumeWindow;
import dev.replcert.harness.kube.Names;
import dev.replcert.layer1.support.PeerReplicas;
import dev.replcert.layer1.support.RecordChecks;
import dev.replcert.layer1.support.SiteDriver;
import dev.replcert.layer1.support.SyncTimes;
import dev.replcert.layer1.support.Targets;
import dev.replcert.harness.kube.Waits;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Pause and resume of replication through the environment's replication control (a vendor hook;
 * csi-addons has no pause RPC): while paused the secondary is frozen and last_sync_time stops;
 * after resume the secondary catches up with every write made during the pause.
 */
@Certification
class PauseResumeSuite {

  /** How many sync intervals a pause lasts while east keeps writing (plan: three). */
  private static final int PAUSED_INTERVALS = 3;

  private SiteDriver east;
  private SiteDriver west;
  private Waits waits;
  private CertificationConfig config;
  private CapabilityProfile profile;
  private Environment environment;
  private ResourceTracker tracker;
  private Evidence evidence;
  private Duration interval;

  @BeforeEach
  void connect(
      @Site("east") DriverEndpoint eastEndpoint,
      @Site("west") DriverEndpoint westEndpoint,
      CertificationConfig config,
      Environment environment,
      ResourceTracker tracker,
      Evidence evidence) {
    this.east = new SiteDriver(eastEndpoint, config, tracker, evidence);
    this.west = new SiteDriver(westEndpoint, config, tracker, evidence);
    this.waits = new Waits(config.timeoutProfile());
    this.config = config;
    this.profile = config.capabilities();
    this.environment = environment;
    this.tracker = tracker;
    this.evidence = evidence;
    this.interval = Targets.syncInterval(environment, config);
  }

  @Test
  @PlanItem("L1-PAUSE-001")
  @RequiresCapability({
    Capability.REPLICATION,
    Capability.PAUSE_RESUME,
    Capability.FORCE_PROMOTE,
    Capability.NODE_DATA_PATH
  })
  void whileReplicationIsPausedTheSecondaryIsFrozenAndLastSyncTimeStops() {
    ReplicationControl control = Targets.replicationControl(environment);
    DisasterInjector disasters = Targets.disasters(environment, "east");
    Replicated volume = replicatedVolumeUnderWrites("pause-frozen");

    Instant pausedAt = pause(control, volume);
    long lastBeforePause = volume.writer().report().lastAttempted();
    Frozen frozen = null;
    for (int i = 1; i <= PAUSED_INTERVALS; i++) {
      awaitWritingUntil(volume, pausedAt.plus(interval.multipliedBy(i)));
      Frozen now = lookAtTheSecondary(volume, lastBeforePause, i);
      if (frozen != null) {
        assertThat(now)
            .as("%d sync intervals into the pause of volume %s: the secondary on west and last_sync_time"
                    + " must not change while paused (east keeps writing)", i, volume.id())
            .isEqualTo(frozen);
      }
      frozen = now;
    }

    disasters.takeDown("east");
    tracker.track("bring east back", () -> bringUp(disasters));
    WriterReport written = volume.writer().stop();
    west.mustPromote(volume.replicas().peerSource(), true);
    Verification onWest = verify(volume, written.lastAttempted());
    evidence.attach("west after force promote", onWest.describe(written));
    evidence.measure("pause.rpo.records", onWest.lostRecords(written), "records");
    assertThat(onWest.isPrefixOf(written) && onWest.lastContiguous() <= lastBeforePause)
        .as("after pausing volume %s at record #%d, cutting east and force-promoting west, west must hold"
                + " a crash-consistent prefix ending at or before #%d (nothing written during the pause"
                + " may have reached it): %s", volume.id(), lastBeforePause, lastBeforePause,
            onWest.describe(written))
        .isTrue();
    assertThat(onWest.lastContiguous())
        .as("force promote must expose the last sync west applied: while paused west showed records"
                + " #0..#%d, after the promote it holds: %s", frozen.lastRecord(), onWest.describe(written))
        .isGreaterThanOrEqualTo(frozen.lastRecord());
  }

  @Test
  @PlanItem("L1-PAUSE-002")
  @RequiresCapability({Capability.REPLICATION, Capability.PAUSE_RESUME, Capability.NODE_DATA_PATH})
  void afterResumeTheSecondaryCatchesUpWithEveryWriteMadeDuringThePause() {
    ReplicationControl control = Targets.replicationControl(environment);
    Replicated volume = replicatedVolumeUnderWrites("pause-resume");

    Instant pausedAt = pause(control, volume);
    long firstDuringPause = volume.writer().report().lastAttempted() + 1;
    awaitWritingUntil(volume, pausedAt.plus(interval.multipliedBy(PAUSED_INTERVALS)));
    long lastDuringPause = volume.writer().report().lastAcked();
    control.resume("east", volume.id());
    Instant resumedAt = Instant.now();

    Instant synced = SyncTimes.awaitSyncAfter(waits, east, volume.source(), resumedAt, interval.multipliedBy(2));
    evidence.measure("resume.catchUp", Duration.between(resumedAt, Instant.now()).toMillis() / 1e3, "s");
    Verification caughtUp = verify(volume, volume.writer().report().lastAttempted());
    assertThat(caughtUp.lastContiguous())
        .as("volume %s: the first sync after resume (last_sync_time %s) must bring every record written"
                + " during the pause (#%d..#%d) to west: %s", volume.id(), synced, firstDuringPause,
            lastDuringPause, caughtUp.describe())
        .isGreaterThanOrEqualTo(lastDuringPause);

    WriterReport written = volume.writer().stop();
    east.mustDemote(volume.source());
    west.mustPromote(volume.replicas().peerSource(), false);
    Verification onWest = verify(volume, written.lastAttempted());
    evidence.attach("west after the planned switch", onWest.describe(written));
    assertThat(onWest.isPrefixOf(written) && onWest.lostRecords(written) == 0)
        .as("after resume and a planned switch west must hold every record of volume %s, including"
                + " those written during the pause: %s", volume.id(), onWest.describe(written))
        .isTrue();
  }

  // ---------------------------------------------------------------- steps

  /** A replicated volume with a paced writer on east and its read-only copy on west. */
  private record Replicated(String id, PeerReplicas replicas, RecordWriter writer, VolumeIo secondary) {
    ReplicationSource source() {
      return replicas.source();
    }
  }

  /** What a look at a paused secondary sees: its records, its bytes (digest) and last_sync_time. */
  private record Frozen(long lastRecord, String bytes, Instant lastSyncTime) {}

  private Replicated replicatedVolumeUnderWrites(String what) {
    String id = east.mustCreateVolume(Names.unique(what));
    PeerReplicas replicas = PeerReplicas.ofVolume(east, west, id, config.timeoutProfile(), tracker);
    east.mustEnable(replicas.source());
    east.mustPromote(replicas.source(), false);
    SyncTimes.awaitFirstSync(waits, east, replicas.source());
    replicas.learnPeerIds(profile, waits, List.of(id));
    VolumeIo primary = VolumeWindow.of(east.mustPublish(id, false));
    VolumeIo secondary = VolumeWindow.of(west.mustPublish(replicas.peerVolume(id), true));
    RecordWriter writer =
        RecordWriter.builder(primary, UUID.randomUUID())
            .format(format())
            .recordsPerSecond(config.workload().writesPerSecond())
            .build();
    tracker.track("writer " + writer.runId(), writer::stop);
    writer.start();
    Replicated volume = new Replicated(id, replicas, writer, secondary);
    waits.until("west holds records of volume " + id + " (replication runs before the pause)",
        TimeoutOperation.FIRST_SYNC, () -> verify(volume, writer.report().lastAttempted()),
        v -> v.lastContiguous() >= 0);
    return volume;
  }

  private Instant pause(ReplicationControl control, Replicated volume) {
    control.pause("east", volume.id());
    Instant pausedAt = Instant.now();
    tracker.track("resume replication of " + volume.id(), () -> control.resume("east", volume.id()));
    return pausedAt;
  }

  /** Records written during the pause never reach west; returns what west shows now. */
  private Frozen lookAtTheSecondary(Replicated volume, long lastBeforePause, int intervals) {
    Verification onWest = verify(volume, volume.writer().report().lastAttempted());
    assertThat(onWest.lastValid())
        .as("%d sync intervals into the pause of volume %s (paused after record #%d): no record written"
                + " during the pause may reach west, which holds: %s", intervals, volume.id(),
            lastBeforePause, onWest.describe())
        .isLessThanOrEqualTo(lastBeforePause);
    assertThat(volume.writer().report().failure()).as("the writer on east").isNull();
    return new Frozen(
        onWest.lastContiguous(), digest(volume.secondary()), SyncTimes.lastSync(east.mustGetInfo(volume.source())));
  }

  private void awaitWritingUntil(Replicated volume, Instant until) {
    waits.until("east keeps writing volume " + volume.id() + " until " + until,
        rpcAndSpan(until),
        () -> volume.writer().report(),
        r -> r.lastAckedAt() != null && r.lastAckedAt().isAfter(until));
  }

  // ---------------------------------------------------------------- helpers

  /** Until the instant, plus one write's deadline for the record that passes it. */
  private Duration rpcAndSpan(Instant until) {
    Duration left = Duration.between(Instant.now(), until);
    return config.timeoutProfile().of(TimeoutOperation.RPC).plus(left.isNegative() ? Duration.ZERO : left);
  }

  private Verification verify(Replicated volume, long lastAttempted) {
    return RecordChecks.verify(volume.secondary(), format(), volume.writer().runId(), lastAttempted);
  }

  private RecordFormat format() {
    return new RecordFormat(config.workload().recordSize());
  }

  private static String digest(VolumeIo volume) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      int chunk = 1 << 20;
      for (long offset = 0; offset < volume.size(); offset += chunk) {
        sha.update(volume.read(offset, (int) Math.min(chunk, volume.size() - offset)));
      }
      return HexFormat.of().formatHex(sha.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void bringUp(DisasterInjector disasters) {
    if (disasters.isDown("east")) {
      disasters.bringUp("east");
    }
  }
}
