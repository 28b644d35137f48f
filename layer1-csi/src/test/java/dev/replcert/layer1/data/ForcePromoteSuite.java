package dev.replcert.layer1.data;

import static org.assertj.core.api.Assertions.assertThat;

import dev.replcert.api.csiaddons.replication.GetVolumeReplicationInfoResponse;
import dev.replcert.harness.config.Capability;
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
import dev.replcert.harness.track.ResourceTracker;
import dev.replcert.harness.volume.VolumeIo;
import dev.replcert.harness.workload.RecordWriter;
import dev.replcert.harness.workload.Verification;
import dev.replcert.harness.workload.WriterReport;
import dev.replcert.layer1.support.Publication;
import dev.replcert.layer1.support.ReplicatedVolume;
import dev.replcert.layer1.support.Times;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Failover when the primary site is lost: what force promote leaves on the survivor, and how the
 * lost site comes back without keeping a word of what it wrote after the split.
 */
@Certification
class ForcePromoteSuite {

  private TwoSites sites;
  private Workload workload;

  @BeforeEach
  void connect(
      @Site("east") DriverEndpoint east,
      @Site("west") DriverEndpoint west,
      CertificationConfig config,
      Environment environment,
      ResourceTracker tracker,
      Evidence evidence) {
    sites = new TwoSites(east, west, config, environment, tracker, evidence);
    workload = sites.workload();
  }

  @Test
  @PlanItem("L1-DATA-004")
  @RequiresCapability({Capability.REPLICATION, Capability.FORCE_PROMOTE, Capability.NODE_DATA_PATH})
  void forcePromoteAfterLosingThePrimaryYieldsACrashConsistentPrefixWithinTheRpoBound() {
    ReplicatedVolume volume = sites.replicatedVolume("data-004");
    UUID run = UUID.randomUUID();
    VolumeIo onEast = workload.window(volume.mustPublish(sites.east, sites.tracker, false).io());
    RecordWriter writer = workload.startSteady(onEast, run, 0);
    RpoBound bound = awaitReplicationLongerThanTheBound(volume, writer);

    sites.takeDown("east");
    WriterReport written = writer.stop();
    long promoteStart = System.nanoTime();
    volume.mustForcePromote(sites.west);
    VolumeIo onWest = workload.window(volume.mustPublish(sites.west, sites.tracker, false).io());
    Verification survived = workload.verify(onWest, run);
    workload.writeBatch(onWest, run, survived.lastContiguous() + 1, 1);
    sites.evidence.measure("failover.promoteToFirstWrite", Times.secondsSince(promoteStart), "s");

    String summary = sites.record("verification on west after force promote", survived, written);
    sites.evidence.measure("rpo.records", survived.lostRecords(written), "records");
    sites.evidence.measure("rpo.seconds", survived.lostSeconds(written), "s");
    sites.evidence.measure("rpo.bound", Times.seconds(bound.total()), "s");
    assertThat(survived.isPrefixOf(written))
        .as("after east was lost mid-write, force-promoted west must hold a crash-consistent"
                + " prefix of the acknowledged records (no gap, no damaged record): %s", summary)
        .isTrue();
    assertThat(survived.lostTime(written))
        .as("force-promoted west lost %s of acknowledged writes (%d records); a force-promoted"
                + " volume holds the last applied sync, so the loss must be within the RPO bound"
                + " %s; %s", survived.lostTime(written), survived.lostRecords(written),
            bound.describe(), summary)
        .isLessThanOrEqualTo(bound.total());
  }

  @Test
  @PlanItem("L1-DATA-005")
  @RequiresCapability({
    Capability.REPLICATION, Capability.FORCE_PROMOTE, Capability.RESYNC, Capability.NODE_DATA_PATH
  })
  void afterASplitBrainDemoteAndResyncMakeTheOldPrimaryIdenticalToTheNewOne() {
    ReplicatedVolume volume = sites.replicatedVolume("data-005");
    UUID history = UUID.randomUUID();
    Publication lostApplication = volume.mustPublish(sites.east, sites.tracker, false);
    workload.writeBatch(workload.window(lostApplication.io()), history, 0, 100);
    volume.awaitSyncAfter(sites.east, Instant.now(), TimeoutOperation.FIRST_SYNC);

    DisasterInjector disasters = sites.takeDown("east");
    volume.mustForcePromote(sites.west);
    Publication application = volume.mustPublish(sites.west, sites.tracker, false);
    VolumeIo onWest = workload.window(application.io());
    long next = workload.verify(onWest, history).lastContiguous() + 1;
    WriterReport afterFailover = workload.writeBatch(onWest, history, next, 500);

    disasters.bringUp("east");
    lostApplication.unpublish();
    long divergentFrom = writeDivergentRecordsOnEast(volume, afterFailover.lastAcked() + 200);
    volume.mustDemote(sites.east);
    awaitResynced(volume);
    assertEastHoldsWestsBytes(volume, onWest, "once ResyncVolume answered ready=true");

    WriterReport written = workload.writeBatch(onWest, history, afterFailover.lastAcked() + 1, 100);
    application.unpublish();
    volume.plannedSwitch(sites.west, sites.east);
    VolumeIo onEast = workload.window(volume.mustPublish(sites.east, sites.tracker, false).io());
    Publication westReader = volume.mustPublish(sites.west, sites.tracker, true);
    assertSameBytes(onEast, workload.window(westReader.io()), "after switching back to east");
    assertOnlyWestsHistory(onEast, history, written, divergentFrom);
  }

  // ---------------------------------------------------------------- DATA-004 steps

  /**
   * How much a force promote may lose: the writes of one sync interval, plus a sync in flight and
   * the one before it (their durations), plus scheduling margin.
   */
  private record RpoBound(Duration interval, Duration syncDuration, Duration margin) {
    Duration total() {
      return interval.plus(syncDuration.multipliedBy(2)).plus(margin);
    }

    String describe() {
      return Times.seconds(total()) + " s (sync interval " + Times.seconds(interval)
          + " s + 2 x longest last_sync_duration " + Times.seconds(syncDuration) + " s + margin "
          + Times.seconds(margin) + " s)";
    }
  }

  /**
   * Lets the writer run until east reports a last_sync_time later than the writer's first record
   * by more than the RPO bound, so losing everything would exceed the bound.
   */
  private RpoBound awaitReplicationLongerThanTheBound(ReplicatedVolume volume, RecordWriter writer) {
    Duration interval = sites.syncInterval();
    Duration margin = Duration.ofMillis(500).plus(interval.dividedBy(10));
    Duration[] longest = {Duration.ZERO};
    sites.waits.until(
        "east reports a last_sync_time more than the RPO bound after the writer's first record"
            + " on volume " + volume.id(),
        TimeoutOperation.FIRST_SYNC,
        () -> {
          GetVolumeReplicationInfoResponse info = sites.east.mustGetInfo(volume.sourceOn(sites.east));
          Duration took = Times.duration(info.getLastSyncDuration());
          longest[0] = took.compareTo(longest[0]) > 0 ? took : longest[0];
          return info;
        },
        info -> {
          Instant started = writer.report().startedAt();
          Duration bound = new RpoBound(interval, longest[0], margin).total();
          return started != null
              && info.hasLastSyncTime()
              && Times.instant(info.getLastSyncTime()).isAfter(started.plus(bound));
        });
    return new RpoBound(interval, longest[0], margin);
  }

  // ---------------------------------------------------------------- DATA-005 steps

  /**
   * East is back and still believes it is primary: its application writes 200 records of another
   * run, placed past everything west will write, so only a resync that really replaces east's data
   * removes them. Returns the first record's slot.
   */
  private long writeDivergentRecordsOnEast(ReplicatedVolume volume, long from) {
    Publication stale = volume.mustPublish(sites.east, sites.tracker, false);
    VolumeIo onEast = workload.window(stale.io());
    assertThat(from + 200)
        .as("the divergent records must fit in the workload window of %d records",
            workload.format().capacity(onEast.size()))
        .isLessThanOrEqualTo(workload.format().capacity(onEast.size()));
    WriterReport divergent = workload.writeBatch(onEast, UUID.randomUUID(), from, 200);
    sites.evidence.attach(
        "divergent writes on east", "run " + divergent.runId() + ", records #" + from + "..#"
            + divergent.lastAcked() + " written while east still believed it was primary");
    stale.unpublish();
    return from;
  }

  private void awaitResynced(ReplicatedVolume volume) {
    long start = System.nanoTime();
    int[] calls = {0};
    sites.waits.until(
        "east answers ResyncVolume(force=true) with ready=true for volume " + volume.idOn(sites.east),
        TimeoutOperation.RESYNC,
        () -> {
          calls[0]++;
          return sites.east.stubs()
              .replication()
              .resyncVolume(sites.east.resync(volume.sourceOn(sites.east), true))
              .getReady();
        },
        ready -> ready);
    sites.evidence.measure("resync.latency.east", Times.secondsSince(start), "s");
    sites.evidence.measure("resync.calls.east", calls[0], "calls");
  }

  /** Reads east's secondary (published read-only for the check) against west's bytes. */
  private void assertEastHoldsWestsBytes(ReplicatedVolume volume, VolumeIo onWest, String when) {
    Publication eastReader = volume.mustPublish(sites.east, sites.tracker, true);
    assertSameBytes(workload.window(eastReader.io()), onWest, when);
    eastReader.unpublish();
  }

  private void assertSameBytes(VolumeIo east, VolumeIo west, String when) {
    long length = Math.min(east.size(), west.size());
    String difference = VolumeBytes.firstDifference(east, west, length, workload.format().recordSize());
    sites.evidence.attach(
        "sha256 of the workload window " + when,
        "east " + VolumeBytes.sha256(east, length) + ", west " + VolumeBytes.sha256(west, length)
            + " (" + length + " bytes)");
    assertThat(difference)
        .as("%s east must hold exactly west's bytes (after a resync the old primary is identical"
                + " to the new primary; ready=true only once it is) in the %d bytes the workload"
                + " wrote in, but %s", when, length, difference)
        .isNull();
  }

  private void assertOnlyWestsHistory(
      VolumeIo onEast, UUID history, WriterReport written, long divergentFrom) {
    Verification kept = workload.verify(onEast, history);
    String summary = sites.record("verification on east after switching back", kept, written);
    assertThat(kept.lastContiguous() == written.lastAcked()
            && kept.lastValid() == kept.lastContiguous()
            && kept.corruptCount() == 0
            && kept.foreignCount() == 0)
        .as("east must hold west's history #0..#%d and nothing else (none of the divergent"
                + " records from #%d); %s", written.lastAcked(), divergentFrom, summary)
        .isTrue();
  }
}
