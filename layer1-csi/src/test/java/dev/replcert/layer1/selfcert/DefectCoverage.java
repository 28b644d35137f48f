package dev.replcert.layer1.selfcert;

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

import dev.replcert.refdriver.Defect;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which layer-1 tests fail when the reference driver carries each catalogued defect: the contract
 * {@link DefectsAreCaughtTest} checks and {@code DEFECTS.md} shows. Each "caught" row lists the
 * plan items observed failing because of the defect, every time, when they run on their own (a
 * test that only fails after another one left the driver broken, or only in some runs, is not
 * listed; a defect only caught by chance is "not caught" with what was seen). The observations
 * come from {@link DefectSweep} over the layer-1 suites of this branch, and repeated runs of the
 * single tests; rerun them when suites change.
 */
final class DefectCoverage {

  /** What layer 1 does about one defect. */
  enum Kind {
    /** The listed plan items fail with the defect on. */
    CAUGHT,
    /** Layer 1 cannot see it (the reason says what can). */
    NOT_OBSERVABLE,
    /** Layer 1 could see it, but no layer-1 test fails with it yet (the reason says which area should). */
    NOT_CAUGHT
  }

  /** One row: the defect, how layer 1 deals with it, the plan ids that catch it or why none does. */
  record Entry(Defect defect, Kind kind, Set<String> planIds, String reason) {
    boolean caught() {
      return kind == Kind.CAUGHT;
    }
  }

  private static final String NO_SUITE_YET =
      "no layer-1 test on this branch fails with it (the sweep saw every test pass); the ";

  private static final Map<Defect, Entry> TABLE =
      table(
          notCaught(SPLIT_BRAIN_ALLOWED, NO_SUITE_YET + "replication RPC suite (promote without force while the peer is primary) should"),
          notCaught(DEMOTE_KEEPS_WRITABLE, NO_SUITE_YET + "data suite (a demoted volume refuses writes) should"),
          notCaught(SECONDARY_PUBLISH_RW, NO_SUITE_YET + "data suite (a secondary refuses read-write publish) should"),
          notCaught(DEMOTE_SKIPS_FINAL_SYNC, "L1-PAUSE-002 fails with it in about half the runs only (its planned"
              + " switch comes after the writer stopped, so a scheduled sync often ships the last records first);"
              + " a demote while the writer still runs (the data suite's zero-loss switch) should catch it every time"),
          notCaught(RESYNC_READY_EARLY, NO_SUITE_YET + "data suite (resync after split-brain) should"),
          notCaught(RESYNC_KEEPS_DIVERGENT_DATA, NO_SUITE_YET + "data suite (resync after split-brain) should"),
          caught(LAST_SYNC_TIME_FROZEN, "L1-VG-001", "L1-VG-003", "L1-PAUSE-002"),
          notCaught(LAST_SYNC_TIME_FUTURE, "L1-PAUSE-002 fails with it in about 7 of 10 runs only (it trusts"
              + " last_sync_time to say a sync landed); the status suite (never in the future) should catch it every time"),
          notCaught(LAST_SYNC_TIME_BACKWARDS, NO_SUITE_YET + "status suite (last_sync_time never goes backwards) should"),
          caught(LAST_SYNC_TIME_IS_NOW, "L1-PAUSE-001"),
          notCaught(REPLICATION_STOPS_SILENTLY, NO_SUITE_YET + "status and data suites (HEALTHY while nothing ships) should"),
          notCaught(HEALTHY_WHEN_PEER_DOWN, NO_SUITE_YET + "status suite (not HEALTHY with the peer down) should"),
          caught(CORRUPT_BLOCK_IN_TRANSFER, "L1-VG-002", "L1-VG-003", "L1-PAUSE-001", "L1-PAUSE-002"),
          notCaught(NON_ATOMIC_SYNC_APPLY, "L1-VG-002 fails with it in about 9 of 10 runs only (a look at the"
              + " secondary must coincide with an apply); the data suite (readers never see half a sync) should catch it"
              + " every time"),
          caught(PROMOTE_ROLLS_BACK, "L1-PAUSE-001"),
          caught(GROUP_MEMBERS_INCONSISTENT, "L1-VG-002"),
          caught(FENCE_NOT_ENFORCED, "L1-FENCE-001", "L1-FENCE-002"),
          caught(UNFENCE_NOT_RESTORING, "L1-FENCE-002"),
          caught(FORCE_IGNORED, "L1-VG-002", "L1-PAUSE-001"),
          caught(PAUSE_NOT_PAUSING, "L1-PAUSE-001"),
          caught(DEMOTE_HANGS, "L1-VG-003", "L1-PAUSE-002"),
          notCaught(WRONG_CODE_MISSING_SOURCE, NO_SUITE_YET + "replication RPC suite (negative cases) should"),
          notCaught(WRONG_CODE_NOT_FOUND, NO_SUITE_YET + "replication RPC suite (negative cases) should"),
          notCaught(WRONG_CODE_PRECONDITION, NO_SUITE_YET + "replication RPC suite (negative cases) should"),
          notCaught(NON_IDEMPOTENT_ENABLE, NO_SUITE_YET + "replication RPC suite (idempotency) should"),
          caught(CAPABILITIES_OVERSTATED, "L1-VG-001", "L1-VG-002", "L1-VG-003", "L1-FENCE-001", "L1-FENCE-002"));

  private DefectCoverage() {}

  /** Every row, in catalog order. */
  static Map<Defect, Entry> table() {
    return TABLE;
  }

  static Entry of(Defect defect) {
    Entry entry = TABLE.get(defect);
    if (entry == null) {
      throw new IllegalStateException("DefectCoverage has no row for " + defect);
    }
    return entry;
  }

  private static Entry caught(Defect defect, String... planIds) {
    return new Entry(defect, Kind.CAUGHT, Collections.unmodifiableSet(new LinkedHashSet<>(List.of(planIds))), null);
  }

  private static Entry notObservable(Defect defect, String reason) {
    return new Entry(defect, Kind.NOT_OBSERVABLE, Set.of(), reason);
  }

  private static Entry notCaught(Defect defect, String reason) {
    return new Entry(defect, Kind.NOT_CAUGHT, Set.of(), reason);
  }

  private static Map<Defect, Entry> table(Entry... entries) {
    Map<Defect, Entry> table = new EnumMap<>(Defect.class);
    for (Entry entry : entries) {
      if (table.put(entry.defect(), entry) != null) {
        throw new IllegalStateException("DefectCoverage lists " + entry.defect() + " twice");
      }
    }
    return Collections.unmodifiableMap(table);
  }
}
