package dev.replcert.layer2.relocate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.replcert.api.k8s.Ramen;
import dev.replcert.harness.config.Capability;
import dev.replcert.harness.config.CertificationConfig;
import dev.replcert.harness.grpc.CallLog;
import dev.replcert.harness.grpc.CallRecord;
import dev.replcert.harness.junit.Certification;
import dev.replcert.harness.junit.PlanItem;
import dev.replcert.harness.junit.RequiresCapability;
import dev.replcert.harness.record.Evidence;
import dev.replcert.harness.spi.Environment;
import dev.replcert.harness.track.ResourceTracker;
import dev.replcert.layer2.fixture.DrActions;
import dev.replcert.layer2.fixture.DrFixture;
import dev.replcert.layer2.fixture.DrSetup;
import dev.replcert.layer2.fixture.PlannedRelocation;
import dev.replcert.layer2.fixture.ProtectedApplication;
import dev.replcert.layer2.fixture.Protection;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * Planned moves with both clusters up: a relocate east → west runs a final sync, demotes east
 * before promoting west and loses nothing; relocating back (failback) does the same the other way
 * and replication runs east → west again. The writers are stopped gracefully before the action, as
 * a planned move does, so "zero loss" means every acknowledged record, exactly.
 */
@Certification
class RelocateSuite {

  private DrFixture dr;
  private Optional<CallLog> calls;
  private ProtectedApplication app;
  private Protection protection;
  private PlannedRelocation moves;

  @BeforeEach
  void setUp(TestInfo test, Environment environment, CertificationConfig config, ResourceTracker tracker,
      Evidence evidence) {
    dr = new DrFixture(DrFixture.plan(test), environment, config, tracker, evidence);
    calls = environment.client(CallLog.class, Optional.empty());
    app = ProtectedApplication.builder(dr, "app").claims(2).create();
    protection = new Protection(dr, app);
    moves = new PlannedRelocation(dr, app, protection);
  }

  @Test
  @PlanItem("L2-REL-001")
  @RequiresCapability(Capability.REPLICATION)
  void aPlannedRelocateRunsAFinalSyncAndLosesNoRecord() {
    DrActions drpc = protection.deploy(DrSetup.create(dr), "east");
    protection.awaitGroupSyncAfter(drpc, null);
    try (RelocateWatch watch = new RelocateWatch(dr, drpc.name())) {
      PlannedRelocation.Relocation relocation = moves.relocate(drpc, dr.east(), dr.west());
      assertThat(watch.progressions()).as("DRPC progressions during the relocate: %s", watch.events())
          .containsSubsequence(Ramen.Progression.PREPARING_FINAL_SYNC.wire(),
              Ramen.Progression.RUNNING_FINAL_SYNC.wire(),
              Ramen.Progression.ENSURING_VOLUMES_ARE_SECONDARY.wire(),
              Ramen.Progression.COMPLETED.wire());
      moves.assertZeroLoss(relocation);
    }
  }

  @Test
  @PlanItem("L2-REL-002")
  @RequiresCapability(Capability.REPLICATION)
  void aRelocatePromotesTheTargetOnlyAfterTheSourceIsSecondaryAndProtected() {
    DrActions drpc = protection.deploy(DrSetup.create(dr), "east");
    protection.awaitGroupSyncAfter(drpc, null);
    long mark = calls.map(CallLog::mark).orElse(0L);
    PlannedRelocation.Relocation relocation;
    try (RelocateWatch watch = new RelocateWatch(dr, drpc.name())) {
      relocation = moves.relocate(drpc, dr.east(), dr.west());
      List<RelocateWatch.Event> events = watch.events();
      RelocateWatch.Event westPrimary = watch.first("vrg/west spec", "primary"::equals);
      RelocateWatch.Event eastSecondary = watch.first("vrg/east state", "Secondary DataProtected=True"::equals);
      assertThat(westPrimary).as("west's VRG set primary during the relocate: %s", events).isNotNull();
      assertThat(eastSecondary).as("east's VRG Secondary with DataProtected=True: %s", events).isNotNull();
      assertThat(eastSecondary.sequence())
          .as("east's VRG Secondary and DataProtected (%s) before west's VRG is set primary (%s): %s",
              eastSecondary, westPrimary, events)
          .isLessThan(westPrimary.sequence());
      for (String claim : app.protectedClaims()) {
        RelocateWatch.Event demoted = watch.first("vr/east/" + claim, v -> v.equals("secondary Completed=True/Demoted"));
        assertThat(demoted).as("east's VR %s reported Completed=True/Demoted as secondary: %s", claim, events)
            .isNotNull();
        assertThat(demoted.sequence()).as("east's VR %s demoted (%s) before west's VRG is set primary (%s)", claim,
            demoted, westPrimary).isLessThan(westPrimary.sequence());
      }
      assertThat(watch.bothRunning()).as("moments application pods ran on east and west at once").isEmpty();
    }
    calls.ifPresent(log -> {
      List<CallRecord> promotes = log.since(mark).stream()
          .filter(c -> c.endpoint().startsWith("west") && c.method().endsWith("/PromoteVolume")).toList();
      String rendered = promotes.stream().map(CallRecord::line).collect(Collectors.joining("\n"));
      assertThat(promotes).as("PromoteVolume calls on west during the relocate").isNotEmpty();
      assertThat(promotes).as("PromoteVolume on west without force only:%n%s", rendered)
          .noneMatch(c -> c.request().contains("force: true"));
    });
    moves.assertZeroLoss(relocation);
  }

  @Test
  @PlanItem("L2-FB-002")
  @RequiresCapability(Capability.REPLICATION)
  void failbackAfterAPlannedRelocateReturnsTheApplicationWithZeroLoss() {
    DrActions drpc = protection.deploy(DrSetup.create(dr), "east");
    protection.awaitGroupSyncAfter(drpc, null);
    moves.relocate(drpc, dr.east(), dr.west()).timeline().close();
    // Replication runs west -> east: three syncs seen on the DRPC (each within 2x interval)
    ZonedDateTime synced = drpc.observe().status().orElseThrow().getLastGroupSyncTime();
    for (int i = 0; i < 3; i++) {
      synced = protection.awaitGroupSyncAfter(drpc, synced);
    }
    PlannedRelocation.Relocation failback = moves.relocate(drpc, dr.west(), dr.east());
    moves.assertZeroLoss(failback);
    assertThat(protection.vrg(dr.west()).state()).as("west's VRG after the failback: %s", protection.vrg(dr.west()))
        .isEqualTo(Ramen.VrgState.SECONDARY.wire());
    // replication east -> west again
    protection.awaitGroupSyncAfter(drpc, drpc.observe().status().orElseThrow().getLastGroupSyncTime());
  }
}
