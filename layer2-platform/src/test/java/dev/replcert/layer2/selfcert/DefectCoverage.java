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
import static dev.replcert.refdriver.Defect.LAST_SYNC_TIME_MISSING;
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
        layer1(SPLIT_BRAIN_ALLOWED, "a promote without force that should be refused: the csi-addons"
            + " VolumeReplication controller answers FAILED_PRECONDITION from PromoteVolume(force=false) by retrying"
            + " with force=true, so no DR operation depends on the driver refusing it; the orchestrator keeps two"
            + " primaries apart (L2-SB-001, L2-SB-002), and layer 1 calls PromoteVolume without force"),
        caught(DEMOTE_KEEPS_WRITABLE, "L2-SB-004"),
        caught(SECONDARY_PUBLISH_RW, "L2-SB-003"),
        caught(DEMOTE_SKIPS_FINAL_SYNC, "L2-FB-002"),
        caught(RESYNC_READY_EARLY, "L2-RESYNC-004"),
        caught(RESYNC_KEEPS_DIVERGENT_DATA, "L2-RESYNC-003"),
        caught(LAST_SYNC_TIME_FROZEN, "L2-START-001", "L2-PAUSE-001"),
        caught(LAST_SYNC_TIME_FUTURE, "L2-START-001"),
        caught(LAST_SYNC_TIME_BACKWARDS, "L2-START-001"),
        caught(LAST_SYNC_TIME_IS_NOW, "L2-PAUSE-001"),
        caught(LAST_SYNC_TIME_MISSING, "L2-START-001"),
        caught(REPLICATION_STOPS_SILENTLY, "L2-FO-001"),
        caught(HEALTHY_WHEN_PEER_DOWN, "L2-PEER-001"),
        caught(CORRUPT_BLOCK_IN_TRANSFER, "L2-FO-001", "L2-REL-001"),
        notCaught(NON_ATOMIC_SYNC_APPLY, "L2-FO-001 and L2-FO-002 pass with it: a failover lands on a half-applied"
            + " sync only if the cut falls inside the apply, a window of milliseconds in the lab that no step taken"
            + " through the Kubernetes API can aim at; layer 1's L1-DATA-001 reads the secondary during the apply"),
        caught(PROMOTE_ROLLS_BACK, "L2-FO-001"),
        caught(GROUP_MEMBERS_INCONSISTENT, "L2-CG-001"),
        caught(FENCE_NOT_ENFORCED, "L2-FENCE-001"),
        caught(UNFENCE_NOT_RESTORING, "L2-FENCE-003"),
        caught(FORCE_IGNORED, "L2-FO-001"),
        caught(PAUSE_NOT_PAUSING, "L2-PAUSE-001"),
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
