package dev.replcert.layer1.data;

import static org.assertj.core.api.Assertions.assertThat;

import dev.replcert.api.csi.v1.Snapshot;
import dev.replcert.api.csi.v1.Volume;
import dev.replcert.api.csiaddons.replication.GetVolumeReplicationInfoResponse;
import dev.replcert.api.csiaddons.replication.GetVolumeReplicationInfoResponse.Status;
import dev.replcert.harness.config.Capability;
import dev.replcert.harness.config.CertificationConfig;
import dev.replcert.harness.config.TimeoutOperation;
import dev.replcert.harness.junit.Certification;
import dev.replcert.harness.junit.PlanItem;
import dev.replcert.harness.junit.RequiresCapability;
import dev.replcert.harness.junit.Site;
import dev.replcert.harness.record.Evidence;
import dev.replcert.harness.spi.DriverEndpoint;
import dev.replcert.harness.spi.Environment;
import dev.replcert.harness.track.ResourceTracker;
import dev.replcert.harness.volume.VolumeIo;
import dev.replcert.harness.workload.RecordWriter;
import dev.replcert.harness.workload.Verification;
import dev.replcert.harness.workload.WriterReport;
import dev.replcert.layer1.support.AccessTypes;
import dev.replcert.harness.kube.Names;
import dev.replcert.layer1.support.Publication;
import dev.replcert.layer1.support.ReplicatedVolume;
import dev.replcert.layer1.support.Snapshots;
import dev.replcert.layer1.support.Times;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * CSI snapshots next to replication: a snapshot of a primary that is being written and
 * replicated is a consistent copy and does not disturb replication; a volume restored from a
 * snapshot is a volume like any other, and replicates.
 */
@Certification
class SnapshotSuite {

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
  @PlanItem("L1-DATA-008")
  @RequiresCapability({Capability.REPLICATION, Capability.SNAPSHOTS, Capability.NODE_DATA_PATH})
  void snapshotsAndClonesOfAReplicatingPrimaryAreConsistentAndLeaveReplicationHealthy() {
    ReplicatedVolume volume = sites.replicatedVolume("data-008");
    UUID run = UUID.randomUUID();
    VolumeIo onEast = workload.window(volume.mustPublish(sites.east, sites.tracker, false).io());
    RecordWriter writer = startReplicatedWriter(volume, onEast, run);
    WriterReport beforeSnapshot = writer.report();
    Snapshot snapshot = Snapshots.mustCreate(
        sites.east, sites.tracker, sites.waits, volume.id(), Names.unique("data-008-snap"));
    Publication clone = mustRestore(snapshot, volume, "data-008-clone");
    VolumeIo inClone = workload.window(clone.io());
    assertConsistentCopy(workload.verify(inClone, run), writer.report(), beforeSnapshot);

    UUID marker = UUID.randomUUID();
    workload.writeBatch(inClone, marker, 0, 16);
    assertReplicationAdvances(volume, "after the snapshot and the clone were made");
    assertNoMarkedRecord(volume, onEast, marker);
    clone.unpublish();
    ReplicatedVolume.deleteVolume(sites.east, clone.volumeId());
    Snapshots.delete(sites.east, snapshot.getSnapshotId());
    assertReplicationAdvances(volume, "after the snapshot and the clone were deleted");
    writer.stop();
    GetVolumeReplicationInfoResponse info = sites.east.mustGetInfo(volume.sourceOn(sites.east));
    assertThat(info.getStatus())
        .as("replication of volume %s must stay healthy next to snapshots (status %s: %s)",
            volume.id(), info.getStatus(), info.getStatusMessage())
        .isNotIn(Status.DEGRADED, Status.ERROR);
  }

  @Test
  @PlanItem("L1-DATA-009")
  @RequiresCapability({Capability.REPLICATION, Capability.SNAPSHOTS, Capability.NODE_DATA_PATH})
  void aVolumeClonedFromASnapshotCanItselfBeReplicatedAndSwitchedOver() {
    var capability = AccessTypes.configured(sites.config);
    long size = sites.config.driver().volume().sizeBytes();
    Volume original = ReplicatedVolume.mustCreateVolume(
        sites.east, sites.tracker, Names.unique("data-009"), capability, size, null);
    long capacity = ReplicatedVolume.capacityOf(original, size);
    Publication application = Publication.mustPublish(
        sites.east, sites.tracker, original.getVolumeId(), capacity, capability, false);
    UUID run = UUID.randomUUID();
    WriterReport beforeSnapshot = workload.writeBatch(workload.window(application.io()), run, 0, 64);
    application.unpublish();
    Snapshot snapshot = Snapshots.mustCreate(
        sites.east, sites.tracker, sites.waits, original.getVolumeId(), Names.unique("data-009-snap"));
    Volume clone = ReplicatedVolume.mustCreateVolume(
        sites.east, sites.tracker, Names.unique("data-009-clone"), capability,
        snapshot.getSizeBytes() > 0 ? snapshot.getSizeBytes() : capacity, Snapshots.source(snapshot));

    ReplicatedVolume replicated = ReplicatedVolume.mustEnable(
        sites.east, sites.west, sites.tracker, sites.config, sites.evidence, clone.getVolumeId(),
        ReplicatedVolume.capacityOf(clone, capacity), capability);
    sites.east.mustPromote(replicated.sourceOn(sites.east), false);
    Publication onClone = replicated.mustPublish(sites.east, sites.tracker, false);
    WriterReport written = workload.writeBatch(workload.window(onClone.io()), run, 64, 64);
    onClone.unpublish();
    replicated.plannedSwitch(sites.east, sites.west);

    VolumeIo onWest = workload.window(replicated.mustPublish(sites.west, sites.tracker, true).io());
    Verification there = workload.verify(onWest, run);
    String summary = sites.record("verification of the clone on west", there, written);
    assertThat(there.lastContiguous() == written.lastAcked()
            && there.lastValid() == there.lastContiguous()
            && there.corruptCount() == 0)
        .as("west must hold the %d records cloned from the snapshot followed by the %d written on"
                + " the replicated clone, without a gap; %s",
            beforeSnapshot.ackedCount(), written.ackedCount(), summary)
        .isTrue();
  }

  // ---------------------------------------------------------------- steps

  /** A steady writer on the primary, once the primary reports a sync of its first records. */
  private RecordWriter startReplicatedWriter(ReplicatedVolume volume, VolumeIo onEast, UUID run) {
    RecordWriter writer = workload.startSteady(onEast, run, 0);
    sites.waits.until(
        "the writer on east acknowledged its first record",
        TimeoutOperation.RPC,
        writer::report,
        report -> report.lastAcked() >= 0 || report.failure() != null);
    volume.awaitSyncAfter(sites.east, writer.report().lastAckedAt(), TimeoutOperation.FIRST_SYNC);
    return writer;
  }

  /** CreateVolume from the snapshot (CSI volume_content_source), published read-write on east. */
  private Publication mustRestore(Snapshot snapshot, ReplicatedVolume of, String what) {
    long size = snapshot.getSizeBytes() > 0 ? snapshot.getSizeBytes() : of.capacityBytes();
    Volume clone = ReplicatedVolume.mustCreateVolume(
        sites.east, sites.tracker, Names.unique(what), of.capability(), size,
        Snapshots.source(snapshot));
    return Publication.mustPublish(
        sites.east, sites.tracker, clone.getVolumeId(), ReplicatedVolume.capacityOf(clone, size),
        of.capability(), false);
  }

  private void assertConsistentCopy(Verification cloned, WriterReport now, WriterReport before) {
    String summary = sites.record("verification of the clone", cloned, now);
    assertThat(cloned.isPrefixOf(now) && cloned.lastContiguous() >= before.lastAcked())
        .as("a snapshot taken while the writer ran must be a crash-consistent copy holding every"
                + " record acknowledged before CreateSnapshot (up to #%d); %s",
            before.lastAcked(), summary)
        .isTrue();
  }

  /** A sync that starts after now completes within twice the sync interval (plus its duration). */
  private void assertReplicationAdvances(ReplicatedVolume volume, String when) {
    GetVolumeReplicationInfoResponse info = sites.east.mustGetInfo(volume.sourceOn(sites.east));
    Duration limit =
        sites.syncInterval().multipliedBy(2).plus(Times.duration(info.getLastSyncDuration()));
    Instant from = Instant.now();
    long start = System.nanoTime();
    sites.waits.until(
        "replication of volume " + volume.id() + " keeps advancing " + when + ": east reports a"
            + " last_sync_time after " + from + " within 2 x the sync interval plus the last sync"
            + " duration (" + limit + ")",
        limit,
        () -> sites.east.mustGetInfo(volume.sourceOn(sites.east)),
        now -> now.hasLastSyncTime() && Times.instant(now.getLastSyncTime()).isAfter(from));
    sites.evidence.measure("syncAdvanced." + when.replace(' ', '-'), Times.secondsSince(start), "s");
  }

  /** Records written to the clone reach neither the replicated volume nor its replica on west. */
  private void assertNoMarkedRecord(ReplicatedVolume volume, VolumeIo onEast, UUID marker) {
    Verification onPrimary = workload.verify(onEast, marker);
    Publication westReader = volume.mustPublish(sites.west, sites.tracker, true);
    Verification onSecondary = workload.verify(workload.window(westReader.io()), marker);
    westReader.unpublish();
    assertThat(onPrimary.validCount() + onSecondary.validCount())
        .as("records written to the clone must not appear in the volume it was cloned from"
                + " (%d there) or on west (%d there)", onPrimary.validCount(),
            onSecondary.validCount())
        .isZero();
  }
}
