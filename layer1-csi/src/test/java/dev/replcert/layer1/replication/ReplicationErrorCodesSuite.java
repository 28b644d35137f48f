package dev.replcert.layer1.replication;

import static dev.replcert.layer1.support.ReplicationFixture.instant;
import static dev.replcert.layer1.support.ReplicationFixture.source;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.replcert.api.csiaddons.replication.GetVolumeReplicationInfoResponse;
import dev.replcert.api.csiaddons.replication.ReplicationSource;
import dev.replcert.harness.config.Capability;
import dev.replcert.harness.config.CapabilityProfile;
import dev.replcert.harness.config.CertificationConfig;
import dev.replcert.harness.junit.Certification;
import dev.replcert.harness.junit.PlanItem;
import dev.replcert.harness.junit.RequiresCapability;
import dev.replcert.harness.junit.Site;
import dev.replcert.harness.record.Evidence;
import dev.replcert.harness.spi.DriverEndpoint;
import dev.replcert.harness.spi.Environment;
import dev.replcert.harness.track.ResourceTracker;
import dev.replcert.layer1.support.GrpcAssertions;
import dev.replcert.harness.kube.Names;
import dev.replcert.layer1.support.ReplicationFixture;
import dev.replcert.layer1.support.SiteDriver;
import io.grpc.Status;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The csi-addons error table (replication/README.md): the codes the csi-addons controller acts on.
 * A wrong code is not cosmetic: the controller retries with force only on FAILED_PRECONDITION and
 * treats NOT_FOUND on disable as "already gone", so any other code changes what happens in a DR.
 */
@Certification
class ReplicationErrorCodesSuite {

  private ReplicationFixture replication;
  private SiteDriver east;
  private SiteDriver west;
  private CapabilityProfile profile;

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
    profile = config.capabilities();
  }

  @Test
  @PlanItem("L1-REP-005")
  @RequiresCapability(Capability.REPLICATION)
  void aRequestWithoutReplicationSourceFailsWithInvalidArgument() {
    String id = replication.mustReplicate("rep-005");
    GetVolumeReplicationInfoResponse before = east.mustGetInfo(source(id));

    ReplicationSource emptyId = source("");
    Expectations wrong = new Expectations(Status.Code.INVALID_ARGUMENT, "missing fields are INVALID_ARGUMENT");
    ReplicationCalls.of(east).forEach((rpc, call) -> {
      wrong.check("east: " + rpc + " with replication_source unset", call.apply(null));
      wrong.check("east: " + rpc + " with an empty replication_source.volume.volume_id", call.apply(emptyId));
    });
    wrong.assertNone();

    GetVolumeReplicationInfoResponse after = east.mustGetInfo(source(id));
    assertThat(instant(after.getLastSyncTime()))
        .as("east: last_sync_time of replicating volume %s after the malformed requests (before:"
                + " %s, after: %s); they must change nothing",
            id, ReplicationFixture.describe(before), ReplicationFixture.describe(after))
        .isAfterOrEqualTo(instant(before.getLastSyncTime()));
  }

  @Test
  @PlanItem("L1-REP-006")
  @RequiresCapability(Capability.REPLICATION)
  void aRequestForAnUnknownVolumeFailsWithNotFound() {
    String unknown = Names.unique("rep-006-never-created");

    Expectations wrong = new Expectations(Status.Code.NOT_FOUND, "an unknown volume is NOT_FOUND;"
        + " the csi-addons controller treats NOT_FOUND on disable as already gone, any other code"
        + " leaks its finalizer");
    ReplicationCalls.of(east).forEach((rpc, call) ->
        wrong.check("east: " + rpc + " of volume " + unknown + ", which was never created",
            call.apply(source(unknown))));
    if (profile.claims(Capability.REPLICATION_DESTINATION_INFO)) {
      wrong.check("east: GetReplicationDestinationInfo of volume " + unknown + ", which was never created",
          () -> east.stubs().replication().getReplicationDestinationInfo(
              ReplicationFixture.destinationRequest(east, unknown)));
    }
    wrong.assertNone();
  }

  @Test
  @PlanItem("L1-REP-007")
  @RequiresCapability({Capability.REPLICATION, Capability.RESYNC})
  void resyncOfAPrimaryVolumeFailsWithFailedPrecondition() {
    String id = replication.mustReplicate("rep-007");

    for (boolean force : new boolean[] {false, true}) {
      GrpcAssertions.assertCode(Status.Code.FAILED_PRECONDITION,
          "east: ResyncVolume(force=" + force + ") of volume " + id + ", which is primary there"
              + " (resync of a primary is FAILED_PRECONDITION; INVALID_ARGUMENT, which older Ceph"
              + " CSI returns, diverges from the csi-addons spec)",
          () -> east.stubs().replication().resyncVolume(east.resync(source(id), force)));
    }

    replication.assertPrimaryAndReplicating(east, id);
    if (replication.dataPathClaimed("east still writable after the refused resync")) {
      replication.assertWritable(east, id);
    }
  }

  @Test
  @PlanItem("L1-REP-008")
  @RequiresCapability(Capability.REPLICATION)
  void promoteWithoutForceWhileThePeerIsStillPrimaryFailsWithFailedPrecondition() {
    String id = replication.mustReplicate("rep-008");
    String peer = replication.peerVolumeId(id);

    GrpcAssertions.assertCode(Status.Code.FAILED_PRECONDITION,
        "west: PromoteVolume(force=false) of volume " + peer + " while east is primary and reachable"
            + " (never two primaries: promote without force needs the peer demoted; the csi-addons"
            + " controller retries with force only on FAILED_PRECONDITION)",
        () -> west.stubs().replication().promoteVolume(west.promote(source(peer), false)));

    replication.assertNotPrimary(west, peer, "its promote was refused; east must stay the only primary");
    replication.assertPrimaryAndReplicating(east, id);
    if (replication.dataPathClaimed("east writable and west read-only after the refused promote")) {
      replication.assertWritable(east, id);
      replication.assertRefusesWrites(west, peer);
    }
  }

  /** Several calls that must all fail with one code; reports every one that did not, at once. */
  private static final class Expectations {
    private final Status.Code expected;
    private final String rule;
    private final List<String> wrong = new ArrayList<>();
    private int checked;

    Expectations(Status.Code expected, String rule) {
      this.expected = expected;
      this.rule = rule;
    }

    void check(String what, GrpcAssertions.Call call) {
      checked++;
      try {
        GrpcAssertions.assertCode(expected, what, call);
      } catch (AssertionError e) {
        wrong.add(e.getMessage());
      }
    }

    void assertNone() {
      if (!wrong.isEmpty()) {
        fail("%d of %d calls did not fail with %s (%s):%n - %s", wrong.size(), checked, expected,
            rule, String.join(String.format("%n - "), wrong));
      }
    }
  }
}
