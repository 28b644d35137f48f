package dev.replcert.layer1.replication;

import static dev.replcert.layer1.support.ReplicationFixture.seconds;
import static dev.replcert.layer1.support.ReplicationFixture.source;
import static org.assertj.core.api.Assertions.assertThat;

import dev.replcert.api.csi.v1.ControllerGetCapabilitiesRequest;
import dev.replcert.api.csi.v1.ControllerServiceCapability;
import dev.replcert.api.csi.v1.DeleteVolumeRequest;
import dev.replcert.api.csi.v1.ListVolumesRequest;
import dev.replcert.api.csi.v1.ListVolumesResponse;
import dev.replcert.harness.config.Capability;
import dev.replcert.harness.config.CertificationConfig;
import dev.replcert.harness.grpc.CallLog;
import dev.replcert.harness.grpc.CallRecord;
import dev.replcert.harness.junit.Certification;
import dev.replcert.harness.junit.PlanItem;
import dev.replcert.harness.junit.RequiresCapability;
import dev.replcert.harness.junit.Site;
import dev.replcert.harness.record.Evidence;
import dev.replcert.harness.spi.DisasterInjector;
import dev.replcert.harness.spi.DriverEndpoint;
import dev.replcert.harness.spi.Environment;
import dev.replcert.harness.track.ResourceTracker;
import dev.replcert.harness.workload.RecordWriter;
import dev.replcert.harness.workload.Verification;
import dev.replcert.harness.workload.WriterReport;
import dev.replcert.layer1.support.NodePublication;
import dev.replcert.layer1.support.ReplicationFixture;
import dev.replcert.layer1.support.SiteDriver;
import dev.replcert.layer1.support.Targets;
import dev.replcert.layer1.support.WrittenRecords;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The csi-addons call sequences of a replicated volume's life, as the csi-addons controller sends
 * them: create + enable + promote, the planned switch of direction (demote, promote the peer),
 * resync of a demoted volume, and disable. Every step checks the roles the driver reports on both
 * sites; the resync checks the bytes.
 */
@Certification
class ReplicationLifecycleSuite {

  /** Records the new primary writes before the old one is resynchronised (plan L1-REP-003). */
  private static final int RECORDS_ON_NEW_PRIMARY = 1000;

  private ReplicationFixture replication;
  private SiteDriver east;
  private SiteDriver west;

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
    west = replication.west();
  }

  @Test
  @PlanItem("L1-REP-001")
  @RequiresCapability(Capability.REPLICATION)
  void createEnableAndPromoteMakeAVolumePrimaryAndStartItsReplication(Environment environment) {
    Optional<CallLog> log = environment.client(CallLog.class, Optional.empty());
    long mark = log.map(CallLog::mark).orElse(0L);

    String id = replication.mustCreateVolume("rep-001");
    east.mustEnable(source(id));
    east.mustPromote(source(id), false);
    replication.awaitSyncAfter(east, id, null, replication.twiceInterval().plus(replication.pollSlack()));

    log.ifPresent(calls -> assertCallSequence(calls.since(mark), id));
    String peer = replication.peerVolumeId(id);
    replication.assertNotPrimary(
        west, peer, "the peer must hold the replica as a secondary; NOT_FOUND would mean it has none");
  }

  @Test
  @PlanItem("L1-REP-002")
  @RequiresCapability(Capability.REPLICATION)
  void demoteThenPromoteOnThePeerReversesTheReplicationDirection() {
    String id = replication.mustReplicate("rep-002");
    String peer = replication.peerVolumeId(id);

    replication.mustSwitch(east, id, west, peer);
    replication.assertPrimaryAndReplicating(west, peer);
    replication.assertNotPrimary(east, id, "east was demoted and west promoted");

    replication.mustSwitch(west, peer, east, id);
    replication.assertPrimaryAndReplicating(east, id);
    replication.assertNotPrimary(west, peer, "west was demoted and east promoted again");
  }

  @Test
  @PlanItem("L1-REP-003")
  @RequiresCapability({Capability.REPLICATION, Capability.RESYNC, Capability.NODE_DATA_PATH})
  void resyncOfADemotedVolumeReportsReadyOnceItHasCaughtUpWithTheNewPrimary(
      Environment environment, Evidence evidence) {
    DisasterInjector disasters = Targets.disasters(environment, "west");
    String id = replication.mustReplicate("rep-003");
    String peer = replication.peerVolumeId(id);
    divergeEastWhileWestIsDown(disasters, id);
    replication.mustPromoteOncePeerDemoted(west, peer);
    WriterReport written = writeOnWest(peer, evidence);

    assertNotReadyWhileWestIsDown(disasters, id, written);
    replication.mustResyncUntilReady(east, id);
    assertEastHoldsEveryRecord(id, written, "right after ResyncVolume answered ready=true", evidence);

    replication.mustSwitch(west, peer, east, id);
    assertEastHoldsEveryRecord(id, written, "after the planned switch back to east", evidence);
  }

  /**
   * Makes east hold writes west never received, without two primaries at any time: west goes
   * down, east writes and is demoted (no final sync can run), west comes back.
   */
  private void divergeEastWhileWestIsDown(DisasterInjector disasters, String id) {
    NodePublication onEast = replication.mustPublish(east, id, false);
    RecordWriter before = replication.writer(onEast, true);
    before.writeRecords(20);
    replication.takeDown(disasters, "west");
    before.writeRecords(20);
    onEast.mustUnpublish();
    replication.mustDemote(east, id);
    replication.bringUp(disasters, "west");
  }

  /** The new primary's writes east lacks: {@value #RECORDS_ON_NEW_PRIMARY} records, flushed. */
  private WriterReport writeOnWest(String peer, Evidence evidence) {
    NodePublication onWest = replication.mustPublish(west, peer, false);
    Instant writing = Instant.now();
    WriterReport written =
        WrittenRecords.writeAll(onWest.io(), replication.recordFormat(), RECORDS_ON_NEW_PRIMARY);
    evidence.measure("write.records.west", seconds(writing, Instant.now()), "s");
    onWest.mustUnpublish();
    return written;
  }

  /**
   * While west, the only holder of the new records, is unreachable, east cannot have caught up:
   * ResyncVolume must not answer ready=true (ready=false, or an error, is what a driver can say).
   * This is the deterministic half of "ready only once caught up"; the bytes are the other.
   */
  private void assertNotReadyWhileWestIsDown(DisasterInjector disasters, String id, WriterReport written) {
    replication.takeDown(disasters, "west");
    try {
      boolean ready = east.stubs().replication().resyncVolume(east.resync(source(id), false)).getReady();
      assertThat(ready)
          .as("east: ResyncVolume of volume %s answered ready=true while west, the primary holding"
              + " %d records east never received, was down: ready=true only when the resynced"
              + " volume matches the primary", id, written.ackedCount())
          .isFalse();
    } catch (io.grpc.StatusRuntimeException unreachable) {
      // an error is a fair answer while the primary is unreachable; nothing was claimed
    }
    replication.bringUp(disasters, "west");
  }

  /** Publishes east read-only and finds every record west wrote, first and last read first. */
  private void assertEastHoldsEveryRecord(String id, WriterReport written, String when, Evidence evidence) {
    NodePublication onEast = replication.mustPublish(east, id, true);
    List<String> ends = WrittenRecords.checkEnds(onEast.io(), replication.recordFormat(), written);
    Verification held = WrittenRecords.verify(onEast.io(), replication.recordFormat(), written);
    evidence.attach("east " + when, (ends.isEmpty() ? "" : ends + "; ") + held.describe(written));
    assertThat(ends.isEmpty() && held.isPrefixOf(written) && held.lostRecords(written) == 0)
        .as("east %s must hold every record west wrote before the resync (ready=true only when the"
                + " resynced volume matches the primary); volume %s: first and last record %s; all"
                + " records: %s",
            when, id, ends.isEmpty() ? "intact" : ends, held.describe(written))
        .isTrue();
    onEast.mustUnpublish();
  }

  @Test
  @PlanItem("L1-REP-004")
  @RequiresCapability(Capability.REPLICATION)
  void disableSucceedsOnBothSitesAndLeavesTheVolumesDeletable() {
    String id = replication.mustReplicate("rep-004");
    String peer = replication.peerVolumeId(id);

    mustDisable(east, id);
    mustDisable(west, peer);
    replication.assertNotPrimary(east, id, "replication was disabled");

    mustDelete(east, id);
    mustDelete(west, peer);
    assertNotListed(east, id);
    assertNotListed(west, peer);
  }

  // ---------------------------------------------------------------- helpers

  /** The calls of REP-001 on east, in order: CreateVolume, Enable, Promote, then GetInfo polls. */
  private static void assertCallSequence(List<CallRecord> calls, String id) {
    List<String> sequence = new ArrayList<>();
    for (CallRecord call : calls) {
      boolean relevant =
          call.method().equals("csi.v1.Controller/CreateVolume")
              || call.method().startsWith("replication.Controller/");
      String step = call.method().substring(call.method().indexOf('/') + 1) + " " + call.status();
      if (relevant && call.endpoint().equals("east")
          && (sequence.isEmpty() || !sequence.get(sequence.size() - 1).equals(step))) {
        sequence.add(step);
      }
    }
    assertThat(sequence)
        .as("east: the gRPC calls for volume %s (repeated GetVolumeReplicationInfo polls shown once):"
                + "%n%s", id, calls.stream().map(CallRecord::line).collect(Collectors.joining("\n")))
        .containsExactly(
            "CreateVolume OK",
            "EnableVolumeReplication OK",
            "PromoteVolume OK",
            "GetVolumeReplicationInfo OK");
  }

  private static void mustDisable(SiteDriver site, String id) {
    try {
      site.disable(source(id));
    } catch (io.grpc.StatusRuntimeException e) {
      throw ReplicationFixture.failed(site, "DisableVolumeReplication of volume " + id, e);
    }
  }

  private static void mustDelete(SiteDriver site, String id) {
    try {
      site.stubs().controller().deleteVolume(
          DeleteVolumeRequest.newBuilder().setVolumeId(id).putAllSecrets(site.secrets()).build());
    } catch (io.grpc.StatusRuntimeException e) {
      throw ReplicationFixture.failed(
          site, "DeleteVolume of volume " + id + " after replication was disabled on both sites", e);
    }
  }

  /** ListVolumes (when the site advertises LIST_VOLUMES) no longer lists the volume. */
  private static void assertNotListed(SiteDriver site, String id) {
    boolean lists =
        site.stubs().controller()
            .controllerGetCapabilities(ControllerGetCapabilitiesRequest.getDefaultInstance())
            .getCapabilitiesList().stream()
            .anyMatch(c -> c.getRpc().getType() == ControllerServiceCapability.RPC.Type.LIST_VOLUMES);
    if (!lists) {
      return;
    }
    List<String> listed = new ArrayList<>();
    String token = "";
    do {
      ListVolumesResponse page = site.stubs().controller()
          .listVolumes(ListVolumesRequest.newBuilder().setStartingToken(token).build());
      page.getEntriesList().forEach(e -> listed.add(e.getVolume().getVolumeId()));
      token = page.getNextToken();
    } while (!token.isEmpty());
    assertThat(listed)
        .as("%s: ListVolumes after DeleteVolume of volume %s", site.site(), id)
        .doesNotContain(id);
  }
}
