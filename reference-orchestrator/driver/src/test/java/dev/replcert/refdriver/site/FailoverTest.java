package dev.replcert.refdriver.site;

import static dev.replcert.refdriver.site.Scenarios.errorOf;
import static dev.replcert.refdriver.site.TwoSites.BLOCK;
import static dev.replcert.refdriver.site.TwoSites.MIB;
import static dev.replcert.refdriver.site.TwoSites.await;
import static dev.replcert.refdriver.site.TwoSites.pattern;
import static dev.replcert.refdriver.site.TwoSites.read;
import static dev.replcert.refdriver.site.TwoSites.readAll;
import static dev.replcert.refdriver.site.TwoSites.write;
import static org.assertj.core.api.Assertions.assertThat;

import dev.replcert.refdriver.ErrorCode;
import dev.replcert.refdriver.site.ReplicationStatus.Health;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Planned switch, site loss, force promote, split-brain and resync: asserted on the bytes. */
class FailoverTest {

  @TempDir Path tmp;
  TwoSites sites;

  @AfterEach
  void stop() {
    sites.close();
  }

  @Test
  void plannedDemoteAndPromoteLosesNothingAndReversesReplication() {
    sites = TwoSites.start(tmp, Duration.ofHours(1), Set.of(), Set.of()); // only the final sync ships
    String id = sites.replicatedVolume("planned", 2 * MIB);
    assertThat(Scenarios.promoteWhilePeerPrimary(sites, id)).as("promote while the peer is primary").isEqualTo(ErrorCode.FAILED_PRECONDITION);

    byte[] last = pattern(20, 3 * BLOCK);
    assertThat(Scenarios.plannedSwitch(sites, id, MIB, last)).as("the write just before the demote").isEqualTo(last);
    assertThat(sites.east.volume(id).role()).isEqualTo(VolumeInfo.Role.SECONDARY);
    assertThat(sites.west.volume(id).role()).isEqualTo(VolumeInfo.Role.PRIMARY);
    assertThat(readAll(sites.west, id)).isEqualTo(readAll(sites.east, id));

    sites.west.promote(Target.volume(id), false); // promote of a primary: fine
    sites.east.demote(Target.volume(id), Instant.now().plusSeconds(5)); // demote of a secondary: fine
    assertThat(sites.east.resync(Target.volume(id), false)).as("a cleanly demoted volume is in sync").isTrue();
    write(sites.west, id, 0, pattern(21, 1000));
    sites.west.pause(Target.volume(id));
    sites.west.resume(Target.volume(id)); // ships now
    await("the new primary's write reaches the old one")
        .until(() -> java.util.Arrays.equals(read(sites.east, id, 0, 1000), pattern(21, 1000)));
  }

  /**
   * What the old primary's cluster does after a relocate or failover away (Ramen's secondary VRG):
   * delete the VR (DisableVolumeReplication) and let the PV go (DeleteVolume). The replica must
   * survive both and keep receiving syncs, or the move back finds nothing to promote.
   */
  @Test
  void aSecondaryLetGoByItsClusterKeepsReplicatingAndIsPromotedWithTheDataOnTheWayBack() {
    sites = TwoSites.start(tmp);
    String id = sites.replicatedVolume("let-go", MIB);
    write(sites.east, id, 0, pattern(30, 1000));
    sites.awaitIdentical(id);
    sites.west.unpublish(id, "/mnt/ro-" + id);

    sites.west.disableReplication(Target.volume(id));
    assertThat(sites.west.volume(id).role()).as("a secondary whose peer is primary stays in the mirror").isEqualTo(VolumeInfo.Role.SECONDARY);
    sites.west.deleteVolume(id);
    sites.west.deleteVolume(id); // idempotent
    assertThat(sites.west.listVolumes()).as("ListVolumes after DeleteVolume").noneMatch(v -> v.volumeId().equals(id));

    write(sites.east, id, 2000, pattern(31, 1000)); // written after the replica was let go
    sites.east.demote(Target.volume(id), Instant.now().plusSeconds(10));
    sites.west.enableReplication(Target.volume(id), Map.of()); // the restored PV's VR
    sites.west.promote(Target.volume(id), false);

    assertThat(read(sites.west, id, 2000, 1000)).as("the write made after the replica was let go").isEqualTo(pattern(31, 1000));
    assertThat(read(sites.west, id, 0, 1000)).isEqualTo(pattern(30, 1000));
    assertThat(sites.west.listVolumes()).as("the promoted replica is a CSI volume again").anyMatch(v -> v.volumeId().equals(id));
  }

  @Test
  void disablingThePrimaryDeletesTheReplicasThePeerLetGoAndKeepsTheOthers() {
    sites = TwoSites.start(tmp);
    String letGo = sites.replicatedVolume("let-go", MIB);
    String kept = sites.replicatedVolume("kept", MIB);
    sites.west.disableReplication(Target.volume(letGo));
    sites.west.deleteVolume(letGo);

    sites.east.disableReplication(Target.volume(letGo));
    sites.east.disableReplication(Target.volume(kept));

    assertThat(errorOf(() -> sites.west.volume(letGo))).as("the released replica").isEqualTo(ErrorCode.NOT_FOUND);
    assertThat(sites.west.volume(kept).role()).as("a replica still claimed on west").isEqualTo(VolumeInfo.Role.SECONDARY);
  }

  @Test
  void secondaryRefusesWritesIncludingThroughHandlesPublishedBeforeTheDemote() {
    sites = TwoSites.start(tmp);
    String id = sites.replicatedVolume("readonly", MIB);
    assertThat(Scenarios.writeThroughHandleAfterDemote(sites, id)).isEqualTo(ErrorCode.FAILED_PRECONDITION);
    assertThat(errorOf(() -> sites.east.publish(id, "east-node-1", "/mnt/new", false)))
        .as("read-write publish of a secondary")
        .isEqualTo(ErrorCode.FAILED_PRECONDITION);
    assertThat(Scenarios.readWriteOnSecondary(sites, id)).isEqualTo(ErrorCode.FAILED_PRECONDITION);
    assertThat(TwoSites.ro(sites.west, id)).as("read-only publish of a secondary").isNotBlank();
  }

  @Test
  void lostPeerDegradesThePrimaryUntilItComesBack() {
    sites = TwoSites.start(tmp);
    String id = sites.replicatedVolume("degraded", MIB);
    sites.stopWest();
    await("primary DEGRADED with the peer down").until(() -> status(id).health() == Health.DEGRADED);
    assertThat(status(id).message()).contains("unreachable");
    assertThat(sites.east.peerReachable()).isFalse();

    write(sites.east, id, 0, pattern(22, 5000)); // while the peer is down
    sites.startWest();
    await("HEALTHY again").until(() -> status(id).health() == Health.HEALTHY);
    sites.awaitIdentical(id);
  }

  @Test
  void forcePromoteOfTheSurvivorHoldsTheLastAppliedSync() {
    sites = TwoSites.start(tmp);
    String id = sites.replicatedVolume("failover", MIB);
    write(sites.east, id, 0, pattern(23, 2000));
    sites.awaitIdentical(id);
    sites.east.pause(Target.volume(id));
    write(sites.east, id, 0, pattern(24, 2000)); // never shipped: lost with the site (the RPO)
    sites.stopEast();

    assertThat(errorOf(() -> sites.west.promote(Target.volume(id), false)))
        .as("promote without force while the peer is unreachable")
        .isEqualTo(ErrorCode.FAILED_PRECONDITION);
    sites.west.promote(Target.volume(id), true);
    assertThat(sites.west.volume(id).role()).isEqualTo(VolumeInfo.Role.PRIMARY);
    assertThat(read(sites.west, id, 0, 2000)).isEqualTo(pattern(23, 2000));
    write(sites.west, id, 0, pattern(25, 10)); // the survivor serves writes
    assertThat(sites.west.replicationStatus(Target.volume(id)).health()).isEqualTo(Health.DEGRADED);
  }

  @Test
  void returningOldPrimaryIsSplitBrainUntilDemotedAndResynced() {
    sites = TwoSites.start(tmp);
    String id = sites.replicatedVolume("splitbrain", MIB);
    write(sites.east, id, 0, pattern(26, 3 * BLOCK));
    sites.awaitIdentical(id);
    sites.stopEast();
    sites.west.promote(Target.volume(id), true);
    write(sites.west, id, BLOCK, pattern(27, BLOCK));

    sites.startEast(); // still primary at the old epoch, unaware
    write(sites.east, id, 10L * BLOCK, pattern(28, BLOCK)); // divergent
    await("old primary reports the split-brain").until(() -> status(id).health() == Health.ERROR);
    assertThat(status(id).message()).contains("split-brain");
    assertThat(sites.west.replicationStatus(Target.volume(id)).health()).isEqualTo(Health.DEGRADED);

    sites.east.demote(Target.volume(id), Instant.now().plusSeconds(5));
    await("new primary reports the diverged peer")
        .until(() -> sites.west.replicationStatus(Target.volume(id)).message().contains("peer needs resync"));
    assertThat(sites.east.resync(Target.volume(id), false)).as("not caught up yet").isFalse();
    Scenarios.resyncUntilReady(sites.east, id);
    assertThat(readAll(sites.east, id)).as("byte-identical to the new primary").isEqualTo(readAll(sites.west, id));
    assertThat(read(sites.east, id, 10L * BLOCK, BLOCK)).as("divergent write discarded").isEqualTo(new byte[BLOCK]);
    await("new primary HEALTHY").until(() -> sites.west.replicationStatus(Target.volume(id)).health() == Health.HEALTHY);
  }

  @Test
  void demoteThatCannotShipItsFinalSyncInTimeStaysPrimary() {
    sites = TwoSites.start(tmp);
    String id = sites.replicatedVolume("deadline", 64 * MIB);
    sites.east.pause(Target.volume(id));
    String handle = TwoSites.rw(sites.east, id);
    for (long offset = 0; offset < 64 * MIB; offset += 4 * MIB) {
      sites.east.write(handle, offset, pattern(offset, (int) (4 * MIB)));
    }
    assertThat(errorOf(() -> sites.east.demote(Target.volume(id), Instant.now().plusMillis(1))))
        .isEqualTo(ErrorCode.DEADLINE_EXCEEDED);
    assertThat(sites.east.volume(id).role()).isEqualTo(VolumeInfo.Role.PRIMARY);
    sites.east.write(handle, 0, pattern(29, 10)); // writable again

    sites.east.demote(Target.volume(id), Instant.now().plusSeconds(10));
    assertThat(readAll(sites.west, id)).isEqualTo(readAll(sites.east, id));
  }

  @Test
  void enableWhileThePeerIsDownCreatesTheReplicaWhenItReturns() {
    sites = TwoSites.start(tmp);
    sites.stopWest();
    String id = sites.east.createVolume("later", MIB, Map.of()).volumeId();
    write(sites.east, id, 0, pattern(30, 4000));
    sites.east.enableReplication(Target.volume(id), Map.of());
    assertThat(sites.east.volume(id).role()).isEqualTo(VolumeInfo.Role.PRIMARY);
    await("DEGRADED while the peer is down").until(() -> status(id).health() == Health.DEGRADED);

    sites.startWest();
    sites.awaitHealthy(id);
    sites.awaitIdentical(id);
  }

  private ReplicationStatus status(String id) {
    return sites.east.replicationStatus(Target.volume(id));
  }
}
