package dev.replcert.layer1.data;

import static org.assertj.core.api.Assertions.assertThat;

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
import dev.replcert.harness.volume.VolumeIoException;
import dev.replcert.harness.workload.RecordFormat;
import dev.replcert.harness.workload.RecordWriter;
import dev.replcert.harness.workload.Verification;
import dev.replcert.harness.workload.WriterReport;
import dev.replcert.layer1.support.Publication;
import dev.replcert.layer1.support.ReplicatedVolume;
import dev.replcert.layer1.support.SiteDriver;
import dev.replcert.layer1.support.VolumeWindow;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What replication promises about the bytes on the secondary while the primary runs: everything
 * acknowledged before the reported last_sync_time is there (and never half a sync), and nobody
 * can write to the secondary.
 */
@Certification
class DataReplicationSuite {

  /** How far the driver's clock may be ahead of the harness's when it stamps last_sync_time. */
  static final Duration CLOCK_ALLOWANCE = Duration.ofSeconds(2);

  /**
   * The largest records the format allows: each spans many storage blocks, so a sync of a few
   * records is shipped and applied in several pieces.
   */
  private static final RecordFormat LARGE_RECORDS = new RecordFormat(RecordFormat.MAX_RECORD_SIZE);

  private TwoSites sites;

  @BeforeEach
  void connect(
      @Site("east") DriverEndpoint east,
      @Site("west") DriverEndpoint west,
      CertificationConfig config,
      Environment environment,
      ResourceTracker tracker,
      Evidence evidence) {
    sites = new TwoSites(east, west, config, environment, tracker, evidence);
  }

  @Test
  @PlanItem("L1-DATA-001")
  @RequiresCapability({Capability.REPLICATION, Capability.FORCE_PROMOTE, Capability.NODE_DATA_PATH})
  void everyRecordAcknowledgedBeforeTheReportedLastSyncTimeIsOnTheSecondary() throws Exception {
    ReplicatedVolume volume = sites.replicatedVolume("data-001");
    Workload workload = syncPointWorkload();
    VolumeIo onEast = backwards(workload, volume.mustPublish(sites.east, sites.tracker, false));
    Publication westReader = volume.mustPublish(sites.west, sites.tracker, true);
    RecordWriter writer = workload.startSteady(onEast, UUID.randomUUID(), 0);
    AckTimeline acks = new AckTimeline(writer);
    SecondaryWatch watch =
        new SecondaryWatch(backwards(workload, westReader), workload.format(), writer.runId());
    watch.start();
    sites.tracker.track("secondary watch", watch::stop);

    Instant lastSync = awaitLastSyncTimeCoveringRecords(volume, acks);
    volume.awaitSyncAfter(sites.east, lastSync.plusNanos(1_000), TimeoutOperation.FIRST_SYNC);
    watch.stop();
    sites.takeDown("east");
    WriterReport written = writer.stop();
    volume.mustForcePromote(sites.west);
    westReader.unpublish();
    VolumeIo promoted = backwards(workload, volume.mustPublish(sites.west, sites.tracker, false));
    Verification survived = workload.verify(issued(promoted, written), writer.runId());

    long required = acks.ackedBefore(lastSync.minus(CLOCK_ALLOWANCE));
    String summary = sites.record("verification on west after force promote", survived, written);
    sites.evidence.attach("secondary watch", watch.describe());
    sites.evidence.measure("lastSyncTime.requiredRecords", required + 1, "records");
    assertThat(watch.violation())
        .as("west, read while syncs from east arrived, must only ever show whole, intact syncs"
                + " (a sync is applied atomically, with exactly the bytes the primary wrote): %s",
            watch.describe())
        .isNull();
    assertThat(watch.reads())
        .as("west's secondary, published read-only, must be readable while syncs arrive: %s",
            watch.describe())
        .isPositive();
    assertThat(survived.isPrefixOf(written))
        .as("after force promote west must hold a crash-consistent prefix of the records: %s",
            summary)
        .isTrue();
    assertThat(survived.lastContiguous())
        .as("east reported last_sync_time %s for volume %s, so every record acknowledged before"
                + " %s (last_sync_time minus %s clock allowance), i.e. up to #%d, must be on west;"
                + " %s", lastSync, volume.id(), lastSync.minus(CLOCK_ALLOWANCE), CLOCK_ALLOWANCE,
            required, summary)
        .isGreaterThanOrEqualTo(required);
  }

  @Test
  @PlanItem("L1-DATA-003")
  @RequiresCapability({Capability.REPLICATION, Capability.NODE_DATA_PATH})
  void aSecondaryVolumeRefusesWrites() {
    ReplicatedVolume volume = sites.replicatedVolume("data-003");
    Workload workload = sites.workload();
    Publication application = volume.mustPublish(sites.east, sites.tracker, false);
    UUID run = UUID.randomUUID();
    UUID marker = UUID.randomUUID();
    WriterReport written = workload.writeBatch(workload.window(application.io()), run, 0, 32);
    Marks marks = new Marks(workload.format(), marker, written.lastAcked());

    assertRefusesReadWrite(volume, sites.west, "west's secondary while east is primary", marks);
    demoteWithApplicationOpen(volume, application, marks);
    assertRefusesReadWrite(volume, sites.east, "east right after its demote", marks);
    volume.mustPromoteWithoutForce(sites.west);

    VolumeIo onWest = workload.window(volume.mustPublish(sites.west, sites.tracker, true).io());
    Verification records = workload.verify(onWest, run);
    Verification marked = workload.verify(onWest, marker);
    String summary = sites.record("verification on west after the switch", records, written);
    assertThat(marked.validCount())
        .as("no marked write attempt may reach the data; west holds %d marked records (%s)",
            marked.validCount(), marked.describe())
        .isZero();
    assertThat(records.lastContiguous() == written.lastAcked()
            && records.lastValid() == records.lastContiguous()
            && records.corruptCount() == 0
            && records.foreignCount() == 0)
        .as("west must hold exactly the %d records written on east and nothing else: %s",
            written.ackedCount(), summary)
        .isTrue();
  }

  // ---------------------------------------------------------------- DATA-001 steps

  /**
   * Large records at a rate that puts about four of them in every sync (at most 20 a second),
   * stored backwards in a window big enough for the longest wait of the test.
   */
  private Workload syncPointWorkload() {
    Duration interval = sites.syncInterval();
    int rate = (int) Math.max(2, Math.min(20, Math.ceil(4_000.0 / Math.max(1, interval.toMillis()))));
    Duration writing =
        interval.multipliedBy(4).plus(CLOCK_ALLOWANCE).plusSeconds(3);
    long records = (long) Math.ceil(rate * writing.toMillis() / 1000.0);
    sites.evidence.measure("workload.recordsPerSecond", rate, "records/s");
    return new Workload(LARGE_RECORDS, rate, records, sites.tracker);
  }

  private static VolumeIo backwards(Workload workload, Publication publication) {
    return DescendingLayout.over(workload.window(publication.io()), workload.format());
  }

  /**
   * The record slots the writer issued, and one more: all it could have put on the volume, so
   * the verifier reads no more than that of the large window.
   */
  private static VolumeIo issued(VolumeIo records, WriterReport written) {
    return VolumeWindow.of(records, (written.lastAttempted() + 2) * LARGE_RECORDS.recordSize());
  }

  /**
   * Waits until east reports a last_sync_time far enough past the first acknowledged record that
   * records older than the clock allowance must be on west.
   */
  private Instant awaitLastSyncTimeCoveringRecords(ReplicatedVolume volume, AckTimeline acks) {
    Duration span = CLOCK_ALLOWANCE.plus(sites.syncInterval());
    return sites.waits
        .until(
            "east reports a last_sync_time more than " + span + " after the writer's first"
                + " acknowledged record on volume " + volume.id(),
            TimeoutOperation.FIRST_SYNC,
            () -> {
              acks.sample();
              return volume.lastSyncTime(sites.east);
            },
            lastSync ->
                lastSync.isPresent()
                    && acks.firstAckSeen() != null
                    && lastSync.get().isAfter(acks.firstAckSeen().plus(span)))
        .orElseThrow();
  }

  // ---------------------------------------------------------------- DATA-003 steps

  /**
   * Write attempts that carry a marker: records of another run, one over the application's first
   * record and one right after its last.
   */
  private record Marks(RecordFormat format, UUID run, long lastApplicationRecord) {
    List<Long> slots() {
      return List.of(0L, lastApplicationRecord + 1);
    }

    byte[] record(long slot) {
      return format.encode(run, slot, Instant.now());
    }
  }

  /** A read-write publication is refused, or every write through it fails. */
  private void assertRefusesReadWrite(
      ReplicatedVolume volume, SiteDriver site, String what, Marks marks) {
    Publication.Attempt attempt = volume.attemptPublish(site, sites.tracker, false);
    if (attempt.refused()) {
      sites.evidence.attach(what, "read-write publication refused: " + attempt.describeRefusal());
      return;
    }
    assertWritesRefused(attempt.publication().io(), what + ", published read-write", marks);
    attempt.publication().unpublish();
  }

  /**
   * Demotes east while its application still has the volume published: writes through that
   * handle must fail from then on. A driver may instead refuse to demote a volume in use
   * (FAILED_PRECONDITION); then the application is stopped first, as a planned switch does.
   */
  private void demoteWithApplicationOpen(
      ReplicatedVolume volume, Publication application, Marks marks) {
    Optional<String> refused = tryDemote(volume, sites.east);
    if (refused.isPresent()) {
      sites.evidence.attach("demote while published", "refused: " + refused.get());
      application.unpublish();
      volume.mustDemote(sites.east);
      return;
    }
    assertWritesRefused(
        application.io(), "east's publication opened before its demote, after the demote", marks);
    application.unpublish();
  }

  /** Empty if DemoteVolume succeeded; the FAILED_PRECONDITION description if it refused. */
  private Optional<String> tryDemote(ReplicatedVolume volume, SiteDriver site) {
    try {
      volume.mustDemote(site);
      return Optional.empty();
    } catch (AssertionError e) {
      if (e.getCause() instanceof io.grpc.StatusRuntimeException status
          && status.getStatus().getCode() == io.grpc.Status.Code.FAILED_PRECONDITION) {
        return Optional.of(String.valueOf(status.getStatus().getDescription()));
      }
      throw e;
    }
  }

  private void assertWritesRefused(VolumeIo io, String what, Marks marks) {
    List<String> accepted = new ArrayList<>();
    List<String> refusals = new ArrayList<>();
    for (long slot : marks.slots()) {
      try {
        io.write(marks.format().offsetOf(slot), marks.record(slot));
        accepted.add("marked record #" + slot + " at byte " + marks.format().offsetOf(slot));
      } catch (VolumeIoException e) {
        refusals.add("#" + slot + ": " + e.kind());
      }
    }
    sites.evidence.attach(what, "write attempts refused: " + refusals + "; accepted: " + accepted);
    assertThat(accepted)
        .as("%s: a secondary is read-only, so every write must fail; the storage accepted %s",
            what, accepted)
        .isEmpty();
  }
}
