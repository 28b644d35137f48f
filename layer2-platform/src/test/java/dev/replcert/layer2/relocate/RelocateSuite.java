package dev.replcert.layer2.relocate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.replcert.api.k8s.Ramen;
import dev.replcert.harness.config.Capability;
import dev.replcert.harness.config.CertificationConfig;
import dev.replcert.harness.config.TimeoutOperation;
import dev.replcert.harness.grpc.CallLog;
import dev.replcert.harness.grpc.CallRecord;
import dev.replcert.harness.junit.Certification;
import dev.replcert.harness.junit.PlanItem;
import dev.replcert.harness.junit.RequiresCapability;
import dev.replcert.harness.record.Evidence;
import dev.replcert.harness.spi.Environment;
import dev.replcert.harness.track.ResourceTracker;
import dev.replcert.harness.workload.Verification;
import dev.replcert.harness.workload.WriterReport;
import dev.replcert.layer2.fixture.DrActions;
import dev.replcert.layer2.fixture.DrFixture;
import dev.replcert.layer2.fixture.DrSetup;
import dev.replcert.layer2.fixture.DrTimeline;
import dev.replcert.layer2.fixture.ManagedSite;
import dev.replcert.layer2.fixture.ProtectedApplication;
import dev.replcert.layer2.fixture.Protection;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
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

  @BeforeEach
  void setUp(TestInfo test, Environment environment, CertificationConfig config, ResourceTracker tracker,
      Evidence evidence) {
    dr = new DrFixture(DrFixture.plan(test), environment, config, tracker, evidence);
    calls = environment.client(CallLog.class, Optional.empty());
    app = ProtectedApplication.builder(dr, "app").claims(2).create();
    protection = new Protection(dr, app);
  }

  @Test
  @PlanItem("L2-REL-001")
  @RequiresCapability(Capability.REPLICATION)
  void aPlannedRelocateRunsAFinalSyncAndLosesNoRecord() {
    DrActions drpc = protection.deploy(DrSetup.create(dr), "east");
    protection.awaitGroupSyncAfter(drpc, null);
    try (RelocateWatch watch = new RelocateWatch(dr, drpc.name())) {
      Relocation relocation = relocate(drpc, dr.east(), dr.west());
      assertThat(watch.progressions()).as("DRPC progressions during the relocate: %s", watch.events())
          .containsSubsequence(Ramen.Progression.PREPARING_FINAL_SYNC.wire(),
              Ramen.Progression.RUNNING_FINAL_SYNC.wire(),
              Ramen.Progression.ENSURING_VOLUMES_ARE_SECONDARY.wire(),
              Ramen.Progression.COMPLETED.wire());
      assertZeroLoss(relocation);
    }
  }

  @Test
  @PlanItem("L2-REL-002")
  @RequiresCapability(Capability.REPLICATION)
  void aRelocatePromotesTheTargetOnlyAfterTheSourceIsSecondaryAndProtected() {
    DrActions drpc = protection.deploy(DrSetup.create(dr), "east");
    protection.awaitGroupSyncAfter(drpc, null);
    long mark = calls.map(CallLog::mark).orElse(0L);
    Relocation relocation;
    try (RelocateWatch watch = new RelocateWatch(dr, drpc.name())) {
      relocation = relocate(drpc, dr.east(), dr.west());
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
    assertZeroLoss(relocation);
  }

  @Test
  @PlanItem("L2-FB-002")
  @RequiresCapability(Capability.REPLICATION)
  void failbackAfterAPlannedRelocateReturnsTheApplicationWithZeroLoss() {
    DrActions drpc = protection.deploy(DrSetup.create(dr), "east");
    protection.awaitGroupSyncAfter(drpc, null);
    relocate(drpc, dr.east(), dr.west()).timeline().close();
    // Replication runs west -> east: three syncs seen on the DRPC (each within 2x interval)
    ZonedDateTime synced = drpc.observe().status().orElseThrow().getLastGroupSyncTime();
    for (int i = 0; i < 3; i++) {
      synced = protection.awaitGroupSyncAfter(drpc, synced);
    }
    Relocation failback = relocate(drpc, dr.west(), dr.east());
    assertZeroLoss(failback);
    assertThat(protection.vrg(dr.west()).state()).as("west's VRG after the failback: %s", protection.vrg(dr.west()))
        .isEqualTo(Ramen.VrgState.SECONDARY.wire());
    // replication east -> west again
    protection.awaitGroupSyncAfter(drpc, drpc.observe().status().orElseThrow().getLastGroupSyncTime());
  }

  /**
   * Stops the writers on {@code from} gracefully (last acknowledged record N per claim), relocates
   * to {@code to}, waits for the application writing there (the end of the RTO) and for
   * Relocated/Completed with PeerReady and Protected, and checks that each writer resumed on
   * {@code to} at N+1. Returns the timeline (recording since the action) and what was stopped.
   */
  private Relocation relocate(DrActions drpc, ManagedSite from, ManagedSite to) {
    Map<String, WriterReport> stopped = app.stopWriters(from);
    Instant set = drpc.relocate(to.name());
    DrTimeline timeline = DrTimeline.start(dr, drpc, "Relocate", from.name(), to.name(), set);
    timeline.workloadReady(app.awaitWriting(to, TimeoutOperation.RELOCATE));
    protection.awaitSettled(drpc, Ramen.Phase.RELOCATED);
    assertThat(protection.vrg(to).state()).as("%s", protection.vrg(to)).isEqualTo(Ramen.VrgState.PRIMARY.wire());
    for (String claim : app.protectedClaims()) {
      assertThat(app.writer(to, claim).progress().firstSequence())
          .as("first record the writer of %s wrote on %s after %s's last acknowledged %s", claim, to, from,
              stopped.get(claim))
          .isEqualTo(stopped.get(claim).lastAcked() + 1);
    }
    return new Relocation(to, stopped, timeline);
  }

  /** A relocate done: the target, the writers' final reports on the source, its timeline. */
  private record Relocation(ManagedSite to, Map<String, WriterReport> stopped, DrTimeline timeline) {}

  /**
   * Stops the writers on the relocation's target and checks each claim there: nothing acknowledged
   * on the source is missing, and the volume is one contiguous history through the last record
   * written on the target. Writes the timeline's evidence (RTO, RPO in records and seconds).
   */
  private void assertZeroLoss(Relocation relocation) {
    Map<String, WriterReport> resumed = app.stopWriters(relocation.to());
    for (String claim : app.protectedClaims()) {
      WriterReport before = relocation.stopped().get(claim);
      Verification onTarget = app.verify(relocation.to(), claim);
      relocation.timeline().dataLoss(claim, before, onTarget);
      assertThat(onTarget.lostRecords(before))
          .as("records of %s acknowledged before the relocate and missing on %s: %s", claim, relocation.to(),
              onTarget.describe(before))
          .isZero();
      assertThat(onTarget.isPrefixOf(resumed.get(claim)) && onTarget.lastContiguous() == resumed.get(claim).lastAcked())
          .as("%s on %s is one contiguous history through the last record written there: %s", claim,
              relocation.to(), onTarget.describe(resumed.get(claim)))
          .isTrue();
    }
    relocation.timeline().finish();
  }
}
