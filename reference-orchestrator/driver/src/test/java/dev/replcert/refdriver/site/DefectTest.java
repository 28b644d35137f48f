package dev.replcert.refdriver.site;

import static dev.replcert.refdriver.site.Scenarios.anyBackwards;
import static dev.replcert.refdriver.site.Scenarios.anyInFuture;
import static dev.replcert.refdriver.site.Scenarios.distinctTimes;
import static dev.replcert.refdriver.site.Scenarios.errorOf;
import static dev.replcert.refdriver.site.TwoSites.BLOCK;
import static dev.replcert.refdriver.site.TwoSites.MIB;
import static dev.replcert.refdriver.site.TwoSites.await;
import static dev.replcert.refdriver.site.TwoSites.pattern;
import static dev.replcert.refdriver.site.TwoSites.read;
import static dev.replcert.refdriver.site.TwoSites.readAll;
import static dev.replcert.refdriver.site.TwoSites.write;
import static org.assertj.core.api.Assertions.assertThat;

import dev.replcert.refdriver.Defect;
import dev.replcert.refdriver.DriverException;
import dev.replcert.refdriver.ErrorCode;
import dev.replcert.refdriver.site.ReplicationStatus.Health;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every engine defect, switched on, breaks exactly the rule its catalog entry names: each scenario
 * below is one a feature test runs on the correct driver with the opposite assertion (named in
 * the comment), so the behaviour differs exactly there.
 */
class DefectTest {

  /** Defects of the gRPC façade, tested with it (not engine behaviour). */
  static final Set<Defect> FACADE =
      EnumSet.of(
          Defect.WRONG_CODE_MISSING_SOURCE,
          Defect.WRONG_CODE_NOT_FOUND,
          Defect.WRONG_CODE_PRECONDITION,
          Defect.NON_IDEMPOTENT_ENABLE,
          Defect.CAPABILITIES_OVERSTATED);

  @TempDir Path tmp;

  /** What a defective site does; the sites have the defect on both ends. */
  interface Breach {
    void observe(TwoSites sites) throws Exception;
  }

  record Scenario(Duration period, Breach breach) {}

  static final Map<Defect, Scenario> SCENARIOS = new EnumMap<>(Defect.class);

  static {
    // FailoverTest.plannedDemoteAndPromote...: promote without force while the peer is primary fails
    on(Defect.SPLIT_BRAIN_ALLOWED, sites -> {
      String id = sites.replicatedVolume("v", MIB);
      assertThat(Scenarios.promoteWhilePeerPrimary(sites, id)).isNull();
      assertThat(sites.west.volume(id).role()).isEqualTo(VolumeInfo.Role.PRIMARY);
      assertThat(sites.east.volume(id).role()).as("two primaries").isEqualTo(VolumeInfo.Role.PRIMARY);
    });
    // FailoverTest.secondaryRefusesWrites...: FAILED_PRECONDITION
    on(Defect.DEMOTE_KEEPS_WRITABLE, sites -> {
      String id = sites.replicatedVolume("v", MIB);
      assertThat(Scenarios.writeThroughHandleAfterDemote(sites, id)).isNull();
      assertThat(read(sites.east, id, 0, 100)).isEqualTo(pattern(2, 100));
    });
    // FailoverTest.secondaryRefusesWrites...: FAILED_PRECONDITION
    on(Defect.SECONDARY_PUBLISH_RW, sites -> {
      String id = sites.replicatedVolume("v", MIB);
      assertThat(Scenarios.readWriteOnSecondary(sites, id)).isNull();
    });
    // FailoverTest.plannedDemoteAndPromoteLosesNothing...: the last write is on the new primary
    SCENARIOS.put(Defect.DEMOTE_SKIPS_FINAL_SYNC, new Scenario(Duration.ofHours(1), sites -> {
      String id = sites.replicatedVolume("v", 2 * MIB);
      byte[] last = pattern(20, 3 * BLOCK);
      assertThat(Scenarios.plannedSwitch(sites, id, MIB, last)).as("lost in the switch").isEqualTo(new byte[last.length]);
    }));
    // FailoverTest.returningOldPrimaryIsSplitBrain...: the first resync answers false
    on(Defect.RESYNC_READY_EARLY, sites -> {
      String id = sites.replicatedVolume("v", MIB);
      Scenarios.divergedOldPrimary(sites, id, pattern(80, BLOCK));
      // with the new primary gone the resync cannot have happened, however fast syncs are
      sites.stopWest();
      assertThat(sites.east.resync(Target.volume(id), false)).isTrue();
      assertThat(read(sites.east, id, 10L * BLOCK, BLOCK)).as("ready, yet still diverged").isEqualTo(pattern(80, BLOCK));
    });
    // FailoverTest.returningOldPrimaryIsSplitBrain...: byte-identical, divergent write discarded
    on(Defect.RESYNC_KEEPS_DIVERGENT_DATA, sites -> {
      String id = sites.replicatedVolume("v", MIB);
      Scenarios.divergedOldPrimary(sites, id, pattern(81, BLOCK));
      Scenarios.resyncUntilReady(sites.east, id);
      assertThat(read(sites.east, id, 10L * BLOCK, BLOCK)).as("divergent write kept").isEqualTo(pattern(81, BLOCK));
      assertThat(read(sites.west, id, 10L * BLOCK, BLOCK)).isEqualTo(new byte[BLOCK]);
    });
    // ReplicationTest.lastSyncTimeAdvances...: at least 4 distinct times in 800 ms
    on(Defect.LAST_SYNC_TIME_FROZEN, sites -> {
      String id = sites.replicatedVolume("v", MIB);
      assertThat(distinctTimes(Scenarios.lastSyncTimes(sites, id, Duration.ofMillis(800)))).isEqualTo(1);
      sites.awaitIdentical(id); // syncs do go on
    });
    // ReplicationTest.lastSyncTimeAdvances...: never in the future
    on(Defect.LAST_SYNC_TIME_FUTURE, sites -> {
      String id = sites.replicatedVolume("v", MIB);
      assertThat(anyInFuture(Scenarios.lastSyncTimes(sites, id, Duration.ofMillis(300)))).isTrue();
    });
    // ReplicationTest.lastSyncTimeAdvances...: never backwards
    on(Defect.LAST_SYNC_TIME_BACKWARDS, sites -> {
      String id = sites.replicatedVolume("v", MIB);
      assertThat(anyBackwards(Scenarios.lastSyncTimes(sites, id, Duration.ofMillis(800)))).isTrue();
    });
    // PauseTest: while paused the last sync time stops
    on(Defect.LAST_SYNC_TIME_IS_NOW, sites -> {
      String id = sites.replicatedVolume("v", MIB);
      sites.east.pause(Target.volume(id));
      assertThat(distinctTimes(Scenarios.lastSyncTimes(sites, id, Duration.ofMillis(300))))
          .as("moves although nothing syncs")
          .isGreaterThan(1);
    });
    // ReplicationTest.lastSyncTimeAdvances...: a sync time is reported
    on(Defect.LAST_SYNC_TIME_MISSING, sites -> {
      String id = sites.replicatedVolume("v", MIB);
      sites.awaitIdentical(id); // syncs do go on
      assertThat(Scenarios.lastSyncTimes(sites, id, Duration.ofMillis(300)))
          .as("no sample carries a sync time")
          .allSatisfy(s -> assertThat(s.lastSyncTime()).isNull());
    });
    // ReplicationTest.writtenRecordsReachTheSecondary...: the write arrives
    on(Defect.REPLICATION_STOPS_SILENTLY, sites -> {
      String id = sites.replicatedVolume("v", MIB);
      awaitSyncsStop(sites, id); // the defect's three (how many came before this line depends on speed)
      write(sites.east, id, 0, pattern(82, 100));
      Awaitility.await("the write never arrives while HEALTHY")
          .during(Duration.ofMillis(800))
          .atMost(Duration.ofSeconds(3))
          .until(
              () -> !Scenarios.arrived(sites, id, 0, pattern(82, 100))
                  && sites.east.replicationStatus(Target.volume(id)).health() == Health.HEALTHY);
    });
    // FailoverTest.lostPeerDegradesThePrimary...: DEGRADED
    on(Defect.HEALTHY_WHEN_PEER_DOWN, sites -> {
      String id = sites.replicatedVolume("v", MIB);
      sites.stopWest();
      Awaitility.await("HEALTHY with the peer down")
          .during(Duration.ofMillis(800))
          .atMost(Duration.ofSeconds(3))
          .until(() -> sites.east.replicationStatus(Target.volume(id)).health() == Health.HEALTHY);
    });
    // ReplicationTest.writtenRecordsReachTheSecondaryByteForByte: identical bytes
    on(Defect.CORRUPT_BLOCK_IN_TRANSFER, sites -> {
      String id = sites.replicatedVolume("v", MIB);
      byte[] data = pattern(83, BLOCK);
      Instant written = Instant.now();
      write(sites.east, id, 0, data);
      await("a sync after the write acknowledged")
          .until(() -> sites.east.replicationStatus(Target.volume(id)).lastSyncTime().isAfter(written));
      assertThat(read(sites.west, id, 0, BLOCK)).as("applied although corrupted").isNotEqualTo(data);
    });
    // ReplicationTest.readersNeverSeeHalfASync
    on(Defect.NON_ATOMIC_SYNC_APPLY, sites -> {
      String id = sites.replicatedVolume("v", 4 * MIB);
      assertThat(Scenarios.readerSeesHalfASync(sites, id, Duration.ofSeconds(8))).isTrue();
    });
    // FailoverTest.forcePromoteOfTheSurvivorHoldsTheLastAppliedSync
    on(Defect.PROMOTE_ROLLS_BACK, sites -> {
      String id = sites.replicatedVolume("v", MIB);
      byte[] v1 = pattern(84, 1000);
      byte[] v2 = pattern(85, 1000);
      assertThat(Scenarios.forcePromoteAfterTwoSyncs(sites, id, v1, v2)).as("the first sync's data").isNotEqualTo(v2);
    });
    // GroupTest.membersOnThePeerAreNeverAtDifferentPointsInTime
    on(Defect.GROUP_MEMBERS_INCONSISTENT, sites -> {
      String a = sites.east.createVolume("a", MIB, Map.of()).volumeId();
      String b = sites.east.createVolume("b", MIB, Map.of()).volumeId();
      String group = sites.east.createGroup("g", List.of(a, b), Map.of()).groupId();
      sites.east.enableReplication(Target.group(group), Map.of());
      await("group replicated")
          .ignoreExceptions()
          .until(() -> sites.east.replicationStatus(Target.group(group)).health() == Health.HEALTHY);
      assertThat(Scenarios.groupMemberAhead(sites, a, b, Duration.ofSeconds(8))).isTrue();
    });
    // FenceTest.fencedClientsAreCutOffUntilUnfenced: PERMISSION_DENIED
    on(Defect.FENCE_NOT_ENFORCED, sites -> {
      String id = sites.east.createVolume("v", MIB, Map.of()).volumeId();
      sites.east.fence(List.of("192.0.2.0/24"));
      write(sites.east, id, 0, pattern(86, 10));
      assertThat(read(sites.east, id, 0, 10)).isEqualTo(pattern(86, 10));
    });
    // FenceTest.fencedClientsAreCutOffUntilUnfenced: access restored
    on(Defect.UNFENCE_NOT_RESTORING, sites -> {
      String id = sites.east.createVolume("v", MIB, Map.of()).volumeId();
      sites.east.fence(List.of("192.0.2.0/24"));
      sites.east.unfence(List.of("192.0.2.0/24"));
      assertThat(sites.east.fencedCidrs()).isEmpty();
      assertThat(errorOf(() -> write(sites.east, id, 0, pattern(87, 10)))).isEqualTo(ErrorCode.PERMISSION_DENIED);
    });
    // FailoverTest.forcePromoteOfTheSurvivor...: promote with force succeeds
    on(Defect.FORCE_IGNORED, sites -> {
      String id = sites.replicatedVolume("v", MIB);
      sites.stopEast();
      assertThat(errorOf(() -> sites.west.promote(Target.volume(id), true))).isEqualTo(ErrorCode.FAILED_PRECONDITION);
    });
    // PauseTest: nothing reaches the peer while paused
    on(Defect.PAUSE_NOT_PAUSING, sites -> {
      String id = sites.replicatedVolume("v", MIB);
      sites.east.pause(Target.volume(id));
      write(sites.east, id, 0, pattern(88, 100));
      await("the write arrives while paused").until(() -> Scenarios.arrived(sites, id, 0, pattern(88, 100)));
      assertThat(sites.east.paused(Target.volume(id))).isTrue();
    });
    // FailoverTest.demoteThatCannotShipItsFinalSyncInTime...: DEADLINE_EXCEEDED at once
    on(Defect.DEMOTE_HANGS, sites -> {
      String id = sites.replicatedVolume("v", MIB);
      CompletableFuture<Void> demote =
          CompletableFuture.runAsync(() -> sites.east.demote(Target.volume(id), Instant.now().plusMillis(200)));
      Awaitility.await("demote still running past its deadline")
          .during(Duration.ofSeconds(1))
          .atMost(Duration.ofSeconds(3))
          .until(() -> !demote.isDone());
      sites.stopEast(); // only closing the site ends it
      await("demote ends with the site").until(demote::isDone);
      assertThat(demote.handle((ok, e) -> ((DriverException) e.getCause()).code()).join()).isEqualTo(ErrorCode.UNAVAILABLE);
    });
  }

  private static void on(Defect defect, Breach breach) {
    SCENARIOS.put(defect, new Scenario(TwoSites.PERIOD, breach));
  }

  static Stream<Defect> engineDefects() {
    return SCENARIOS.keySet().stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("engineDefects")
  void defectBreaksItsRule(Defect defect) throws Exception {
    Scenario scenario = SCENARIOS.get(defect);
    try (TwoSites sites = TwoSites.start(tmp, scenario.period(), Set.of(defect), Set.of(defect))) {
      scenario.breach().observe(sites);
    }
  }

  @Test
  void everyEngineDefectOfTheCatalogHasAScenario() {
    Set<Defect> engine = EnumSet.allOf(Defect.class);
    engine.removeAll(FACADE);
    assertThat(SCENARIOS.keySet()).isEqualTo(engine);
  }

  /** Waits until the last sync time has stood still for five sync periods. */
  private static void awaitSyncsStop(TwoSites sites, String id) {
    Instant[] last = {null};
    await("syncs stopped")
        .during(TwoSites.PERIOD.multipliedBy(5))
        .until(
            () -> {
              Instant now = sites.east.replicationStatus(Target.volume(id)).lastSyncTime();
              boolean same = now.equals(last[0]);
              last[0] = now;
              return same;
            });
  }
}
