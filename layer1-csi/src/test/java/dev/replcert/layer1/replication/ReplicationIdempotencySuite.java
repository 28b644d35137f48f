package dev.replcert.layer1.replication;

import static dev.replcert.layer1.support.ReplicationFixture.instant;
import static dev.replcert.layer1.support.ReplicationFixture.source;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.replcert.api.csiaddons.replication.GetVolumeReplicationInfoResponse;
import dev.replcert.api.csiaddons.replication.ResyncVolumeResponse;
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
import dev.replcert.layer1.support.ReplicationFixture;
import dev.replcert.layer1.support.SiteDriver;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * "All RPCs should be idempotent" (csi-addons replication/README.md): the csi-addons controller
 * re-sends every call on each reconcile, so a repeat must give what the first call gave. Each call
 * is repeated {@code suite.idempotentCount} times (csi-sanity's IdempotentCount).
 */
@Certification
class ReplicationIdempotencySuite {

  private ReplicationFixture replication;
  private SiteDriver east;
  private SiteDriver west;
  private int count;
  private Duration demoteDeadline;
  private DriverEndpoint eastEndpoint;

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
    count = config.suite().idempotentCount();
    demoteDeadline = config.timeoutProfile().of(TimeoutOperation.DEMOTE);
    this.eastEndpoint = eastEndpoint;
    evidence.measure("idempotentCount", count, "calls");
  }

  @Test
  @PlanItem("L1-REP-009")
  @RequiresCapability(Capability.REPLICATION)
  void everyReplicationRpcIsIdempotentWhenRepeated() {
    String id = replication.mustCreateVolume("rep-009");
    repeat("east: EnableVolumeReplication of volume " + id, () -> ReplicationCalls.enable(east, source(id)));
    repeat("east: PromoteVolume(force=false) of volume " + id,
        () -> east.stubs().replication().promoteVolume(east.promote(source(id), false)));
    replication.awaitFirstSync(east, id);
    assertNeverBackwards(id, repeat("east: GetVolumeReplicationInfo of volume " + id,
        () -> replication.info(east, id)));
    String peer = replication.peerVolumeId(id);
    replication.assertNotPrimary(west, peer, "east was enabled and promoted " + count + " times");

    repeat("east: DemoteVolume of volume " + id, () -> eastReplication().demoteVolume(
        ReplicationCalls.demote(east, source(id))));
    replication.mustPromoteOncePeerDemoted(west, peer);
    repeat("west: PromoteVolume(force=false) of volume " + peer + " (already promoted)",
        () -> west.stubs().replication().promoteVolume(west.promote(source(peer), false)));
    replication.assertPrimaryAndReplicating(west, peer);
    replication.assertNotPrimary(east, id, "east was demoted " + count + " times, west promoted");

    assertReadyNeverWithdrawn(id, repeat("east: ResyncVolume(force=false) of demoted volume " + id,
        () -> east.stubs().replication().resyncVolume(east.resync(source(id), false))));

    repeat("west: DisableVolumeReplication of volume " + peer, () -> ReplicationCalls.disable(west, source(peer)));
    repeat("east: DisableVolumeReplication of volume " + id, () -> ReplicationCalls.disable(east, source(id)));
    replication.assertNotPrimary(west, peer, "replication was disabled " + count + " times");
    replication.assertNotPrimary(east, id, "replication was disabled " + count + " times");
  }

  /** Calls {@code count} times; every call must answer OK. Returns the answers in order. */
  private <T> List<T> repeat(String what, Supplier<T> call) {
    List<T> answers = new ArrayList<>();
    for (int i = 1; i <= count; i++) {
      try {
        answers.add(call.get());
      } catch (StatusRuntimeException e) {
        fail("%s: call %d of %d failed with %s%s; every replication RPC is idempotent: the same"
                + " request repeated must answer as the first one did (OK)%s",
            what, i, count, e.getStatus().getCode(),
            e.getStatus().getDescription() == null ? "" : " (" + e.getStatus().getDescription() + ")",
            e.getStatus().getCode() == Status.Code.DEADLINE_EXCEEDED
                ? "; the driver did not answer within the call's deadline, and every RPC honours its deadline"
                : "");
      }
    }
    return answers;
  }

  private dev.replcert.api.csiaddons.replication.ControllerGrpc.ControllerBlockingStub eastReplication() {
    return dev.replcert.api.csiaddons.replication.ControllerGrpc.newBlockingStub(eastEndpoint.addons())
        .withDeadlineAfter(demoteDeadline.toMillis(), TimeUnit.MILLISECONDS);
  }

  private static void assertNeverBackwards(String id, List<GetVolumeReplicationInfoResponse> answers) {
    Instant previous = Instant.MIN;
    for (GetVolumeReplicationInfoResponse answer : answers) {
      Instant time = instant(answer.getLastSyncTime());
      assertThat(time)
          .as("east: last_sync_time of volume %s over %d repeated GetVolumeReplicationInfo calls"
                  + " (never moving backwards): %s", id, answers.size(),
              answers.stream().map(ReplicationFixture::describe).toList())
          .isAfterOrEqualTo(previous);
      previous = time;
    }
  }

  /** Once a repeated resync answered ready=true, no later repeat withdraws it. */
  private static void assertReadyNeverWithdrawn(String id, List<ResyncVolumeResponse> answers) {
    List<Boolean> ready = answers.stream().map(ResyncVolumeResponse::getReady).toList();
    int firstReady = ready.indexOf(true);
    assertThat(firstReady < 0 || !ready.subList(firstReady, ready.size()).contains(false))
        .as("east: ready of %d repeated ResyncVolume calls of volume %s: %s (once ready, a repeat"
                + " must answer ready again)", ready.size(), id, ready)
        .isTrue();
  }
}
