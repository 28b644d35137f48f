package dev.replcert.layer1.replication;

import static dev.replcert.layer1.support.ReplicationFixture.source;
import static org.assertj.core.api.Assertions.assertThat;

import dev.replcert.api.csiaddons.replication.ReplicationDestination;
import dev.replcert.harness.config.Capability;
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
import dev.replcert.layer1.support.ReplicationFixture;
import dev.replcert.layer1.support.SiteDriver;
import io.grpc.Status;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * GetReplicationDestinationInfo: how a DR orchestrator learns which volume on the peer site holds
 * the replica (VolumeReplication status.destinationVolumeID). A wrong name sends the failover to
 * the wrong volume, so the test promotes the named volume.
 */
@Certification
class DestinationInfoSuite {

  private ReplicationFixture replication;
  private SiteDriver east;
  private SiteDriver west;
  private Evidence evidence;

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
    this.evidence = evidence;
  }

  @Test
  @PlanItem("L1-REP-010")
  @RequiresCapability({Capability.REPLICATION, Capability.REPLICATION_DESTINATION_INFO})
  void getReplicationDestinationInfoNamesThePeerVolumeOfAReplicatingVolume() {
    String id = replication.mustCreateVolume("rep-010");
    east.mustEnable(source(id));
    east.mustPromote(source(id), false);

    ReplicationDestination destination =
        replication.mustGetDestination(east, id).getReplicationDestination();
    evidence.attach("destination of " + id, destination.toString());
    assertThat(destination.hasVolume() && !destination.getVolume().getVolumeId().isBlank())
        .as("east: GetReplicationDestinationInfo of volume %s must name the peer volume in"
            + " replication_destination.volume.volume_id; answered: %s", id, destination)
        .isTrue();
    String peer = destination.getVolume().getVolumeId();

    replication.awaitFirstSync(east, id);
    replication.mustDemote(east, id);
    replication.mustPromoteOncePeerDemoted(west, peer);
    replication.assertPrimaryAndReplicating(west, peer);

    String plain = east.mustCreateVolume(dev.replcert.harness.kube.Names.unique("rep-010-plain"));
    GrpcAssertions.assertCode(Status.Code.FAILED_PRECONDITION,
        "east: GetReplicationDestinationInfo of volume " + plain + ", which is not replicated"
            + " (not replicated is FAILED_PRECONDITION)",
        () -> east.stubs().replication().getReplicationDestinationInfo(
            ReplicationFixture.destinationRequest(east, plain)));
  }
}
