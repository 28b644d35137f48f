package dev.replcert.layer2.selfcert;

import static dev.replcert.refdriver.Defect.CAPABILITIES_OVERSTATED;
import static dev.replcert.refdriver.Defect.CORRUPT_BLOCK_IN_TRANSFER;
import static dev.replcert.refdriver.Defect.DEMOTE_HANGS;
import static dev.replcert.refdriver.Defect.DEMOTE_KEEPS_WRITABLE;
import static dev.replcert.refdriver.Defect.DEMOTE_SKIPS_FINAL_SYNC;
import static dev.replcert.refdriver.Defect.FENCE_NOT_ENFORCED;
import static dev.replcert.refdriver.Defect.FORCE_IGNORED;
import static dev.replcert.refdriver.Defect.GROUP_MEMBERS_INCONSISTENT;
import static dev.replcert.refdriver.Defect.HEALTHY_WHEN_PEER_DOWN;
import static dev.replcert.refdriver.Defect.LAST_SYNC_TIME_BACKWARDS;
import static dev.replcert.refdriver.Defect.LAST_SYNC_TIME_FROZEN;
import static dev.replcert.refdriver.Defect.LAST_SYNC_TIME_FUTURE;
import static dev.replcert.refdriver.Defect.LAST_SYNC_TIME_IS_NOW;
import static dev.replcert.refdriver.Defect.NON_ATOMIC_SYNC_APPLY;
import static dev.replcert.refdriver.Defect.NON_IDEMPOTENT_ENABLE;
import static dev.replcert.refdriver.Defect.PAUSE_NOT_PAUSING;
import static dev.replcert.refdriver.Defect.PROMOTE_ROLLS_BACK;
import static dev.replcert.refdriver.Defect.REPLICATION_STOPS_SILENTLY;
import static dev.replcert.refdriver.Defect.RESYNC_KEEPS_DIVERGENT_DATA;
import static dev.replcert.refdriver.Defect.RESYNC_READY_EARLY;
import static dev.replcert.refdriver.Defect.SECONDARY_PUBLISH_RW;
import static dev.replcert.refdriver.Defect.SPLIT_BRAIN_ALLOWED;
import static dev.replcert.refdriver.Defect.UNFENCE_NOT_RESTORING;
import static dev.replcert.refdriver.Defect.WRONG_CODE_MISSING_SOURCE;
import static dev.replcert.refdriver.Defect.WRONG_CODE_NOT_FOUND;
import static dev.replcert.refdriver.Defect.WRONG_CODE_PRECONDITION;

import dev.replcert.harness.selfcert.DefectTable;
import dev.replcert.refdriver.Defect;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Which layer-2 tests fail when the reference driver carries each catalogued defect: the contract
 * {@link DefectsAreCaughtTest} checks and {@code layer2-platform/DEFECTS.md} shows. A "caught" row
 * lists only plan items observed failing because of the defect, run on their own with it ({@link
 * DefectSweep}); rerun the sweep when suites change. {@link DefectTable.Kind#ELSEWHERE} rows are
 * layer 1's alone: no DR operation depends on the broken rule, or the orchestrator never exercises
 * it (an error code, a call it does not make).
 */
final class DefectCoverage {

  private static final DefectTable TABLE = observed();

  private DefectCoverage() {}

  static DefectTable table() {
    return TABLE;
  }

  static DefectTable.Row of(Defect defect) {
    return TABLE.of(defect.name());
  }

  /** Every defect of the catalog by id, with what it does and the rule it breaks, in catalog order. */
  static Map<String, DefectTable.Described> catalog() {
    Map<String, DefectTable.Described> catalog = new LinkedHashMap<>();
    for (Defect defect : Defect.values()) {
      catalog.put(defect.name(), new DefectTable.Described(defect.description(), defect.rule()));
    }
    return catalog;
  }

  private static DefectTable observed() {
    return new DefectTable(
        "layer 2",
        notCaught(SPLIT_BRAIN_ALLOWED, "not reliably: L2-SB-002 failed with it in one sweep (east's driver answered"
            + " primary beside west after the stale VRG was re-applied) and passed in the next -Pselfcert run;"
            + " L2-FO-002 and L2-REL-001 pass with it (the orchestrator demotes before it promotes, and the"
            + " stale-primary guard keeps east's VRG from promoting); a probe that asks east's driver to promote"
            + " without force while west is primary should"),
        notCaught(DEMOTE_KEEPS_WRITABLE, "L2-REL-001, L2-FO-002, L2-SB-001, L2-SB-002 and L2-SB-003 pass with it"
            + " (the application stops before the demote; in the SB-003 sweep the driver refused the re-created"
            + " PV's read-write publish, why the defect did not apply there is not analysed yet); layer 1 writes"
            + " through a handle across the demote"),
        caught(SECONDARY_PUBLISH_RW, "L2-SB-003"),
        caught(DEMOTE_SKIPS_FINAL_SYNC, "L2-FB-002"),
        notCaught(RESYNC_READY_EARLY, "L2-RESYNC-002, L2-RESYNC-001 and L2-FB-001 pass with it (one RESYNC-002"
            + " failure in two sweeps was a stalled relocate, not a resync check): the orchestrator waits for"
            + " the resync, then the failback's final sync ships the rest anyway; a check of the old primary's"
            + " data right when the DRPC reports PeerReady should"),
        notCaught(RESYNC_KEEPS_DIVERGENT_DATA, "L2-RESYNC-002 and L2-FB-001 pass with it (one FB-001 failure in"
            + " two sweeps was a stalled relocate, not a data check): the failback's final sync overwrites the"
            + " blocks both sites wrote, and the verifier reads records, not the blocks only the old primary"
            + " wrote; a failback that compares the resynced volume with the new primary byte for byte should"),
        caught(LAST_SYNC_TIME_FROZEN, "L2-START-001", "L2-PAUSE-001"),
        caught(LAST_SYNC_TIME_FUTURE, "L2-START-001"),
        notCaught(LAST_SYNC_TIME_BACKWARDS, "L2-START-001, L2-FO-001 and L2-PAUSE-001 pass with it: every other"
            + " report is a little early, and lastGroupSyncTime still advances within two intervals; a check that"
            + " the DRPC's lastGroupSyncTime never goes backwards (START-001's sampling) should catch it"),
        caught(LAST_SYNC_TIME_IS_NOW, "L2-PAUSE-001"),
        caught(REPLICATION_STOPS_SILENTLY, "L2-FO-001"),
        notCaught(HEALTHY_WHEN_PEER_DOWN, "L2-FO-001 passes with it (the down cluster's status is not visible);"
            + " no layer-2 item cuts only the replication link and checks the DRPC/VRG stops reporting the"
            + " data protected"),
        caught(CORRUPT_BLOCK_IN_TRANSFER, "L2-FO-001", "L2-REL-001"),
        notCaught(NON_ATOMIC_SYNC_APPLY, "L2-FO-001 and L2-FO-002 pass with it: a failover lands on a half-applied"
            + " sync only by chance (the lab applies a sync in milliseconds); layer 1's L1-DATA-001 reads during"
            + " the apply"),
        caught(PROMOTE_ROLLS_BACK, "L2-FO-001"),
        notCaught(GROUP_MEMBERS_INCONSISTENT, "no layer-2 item protects a consistency group (the bundled"
            + " orchestrator replicates each PVC with its own VolumeReplication); L2-FO-001 passes with it"),
        caught(FENCE_NOT_ENFORCED, "L2-FENCE-001"),
        caught(UNFENCE_NOT_RESTORING, "L2-FENCE-003"),
        caught(FORCE_IGNORED, "L2-FO-001"),
        notCaught(PAUSE_NOT_PAUSING, "L2-PAUSE-001 passes with it: the DRPC's lastGroupSyncTime did not move while"
            + " the driver kept shipping; it should also check that the secondary's data does not change during"
            + " the pause"),
        caught(DEMOTE_HANGS, "L2-REL-001"),
        layer1(WRONG_CODE_MISSING_SOURCE, "an error code for a malformed request: no DR operation sends one"),
        layer1(WRONG_CODE_NOT_FOUND, "an error code for an unknown volume: no DR operation asks about one"),
        layer1(WRONG_CODE_PRECONDITION, "an error code for resyncing a primary: the orchestrator never asks for one"),
        layer1(NON_IDEMPOTENT_ENABLE, "a retried EnableVolumeReplication: L2-START-001 passes with it (the"
            + " lab's controllers enable each volume once); layer 1 repeats the call"),
        caught(CAPABILITIES_OVERSTATED, "L2-FENCE-001", "L2-FENCE-003"));
  }

  private static DefectTable.Row caught(Defect defect, String... planIds) {
    return DefectTable.caught(defect.name(), planIds);
  }

  private static DefectTable.Row layer1(Defect defect, String reason) {
    return DefectTable.elsewhere(defect.name(), reason);
  }

  private static DefectTable.Row notCaught(Defect defect, String reason) {
    return DefectTable.notCaught(defect.name(), reason);
  }
}
