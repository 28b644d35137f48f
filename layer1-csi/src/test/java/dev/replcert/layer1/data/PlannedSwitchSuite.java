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
import dev.replcert.harness.workload.RecordWriter;
import dev.replcert.harness.workload.Verification;
import dev.replcert.harness.workload.WriterReport;
import dev.replcert.layer1.support.Publication;
import dev.replcert.layer1.support.ReplicatedVolume;
import dev.replcert.layer1.support.SiteDriver;
import dev.replcert.layer1.support.Times;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The planned switch (relocate) the way an orchestrator does it: stop the application, release
 * its volume, demote, promote the peer without force, start the application there. Nothing the
 * application was told is written may be missing afterwards.
 */
@Certification
class PlannedSwitchSuite {

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
  @PlanItem("L1-DATA-002")
  @RequiresCapability({Capability.REPLICATION, Capability.NODE_DATA_PATH})
  void aPlannedDemoteAndPromoteLosesNoAcknowledgedWrite() {
    ReplicatedVolume volume = sites.replicatedVolume("data-002");
    UUID run = UUID.randomUUID();

    Publication onEast = volume.mustPublish(sites.east, sites.tracker, false);
    WriterReport eastWrote = runApplication(volume, onEast, run, 0);
    Publication onWest = switchApplication(volume, sites.east, sites.west);
    assertNothingLost(onWest, run, eastWrote, "east to west");

    WriterReport westWrote = runApplication(volume, onWest, run, eastWrote.lastAcked() + 1);
    Publication backOnEast = switchApplication(volume, sites.west, sites.east);
    assertNothingLost(backOnEast, run, westWrote, "west back to east");
  }

  /**
   * Runs the writer on the primary until the primary reports a sync of its first records (the
   * volume is replicating under load), then stops it and stops the application: unpublished and
   * unstaged.
   */
  private WriterReport runApplication(
      ReplicatedVolume volume, Publication application, UUID run, long firstSequence) {
    SiteDriver primary = application.site();
    RecordWriter writer = workload.startSteady(workload.window(application.io()), run, firstSequence);
    sites.waits.until(
        "the writer on " + primary.site() + " acknowledged its first record",
        TimeoutOperation.RPC,
        writer::report,
        report -> report.lastAcked() >= firstSequence || report.failure() != null);
    volume.awaitSyncAfter(primary, writer.report().lastAckedAt(), TimeoutOperation.FIRST_SYNC);
    WriterReport written = writer.stop();
    assertThat(written.failure())
        .as("the writer on %s must run until stopped: %s", primary.site(), written)
        .isNull();
    application.unpublish();
    return written;
  }

  /** Demote, promote without force, publish read-write on the new primary; records how long. */
  private Publication switchApplication(ReplicatedVolume volume, SiteDriver from, SiteDriver to) {
    long start = System.nanoTime();
    volume.plannedSwitch(from, to);
    Publication started = volume.mustPublish(to, sites.tracker, false);
    sites.evidence.measure(
        "plannedSwitch." + from.site() + "To" + capitalized(to.site()) + ".demoteToPublished",
        Times.secondsSince(start),
        "s");
    return started;
  }

  private void assertNothingLost(
      Publication newPrimary, UUID run, WriterReport written, String direction) {
    Verification there = workload.verify(workload.window(newPrimary.io()), run);
    String summary = sites.record("verification after the switch " + direction, there, written);
    sites.evidence.measure("lostRecords." + direction.replace(' ', '-'), there.lostRecords(written), "records");
    assertThat(there.lastContiguous() == written.lastAcked()
            && there.lastValid() == there.lastContiguous()
            && there.corruptCount() == 0)
        .as("a planned switch %s (demote, then promote without force) loses no acknowledged write:"
                + " %s must hold records #0..#%d exactly; %s",
            direction, newPrimary.describe(), written.lastAcked(), summary)
        .isTrue();
  }

  private static String capitalized(String site) {
    return Character.toUpperCase(site.charAt(0)) + site.substring(1);
  }
}
