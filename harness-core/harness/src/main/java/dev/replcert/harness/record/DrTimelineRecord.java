package dev.replcert.harness.record;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.time.Instant;
import java.util.List;

/**
 * The timeline of one DR action as evidence: what the orchestrator reported (DRPC phase,
 * progression, conditions; VRG states per cluster) and what the application did, each step with
 * its time and its offset from the moment the action was set, plus the RTO and RPO measured. A
 * test attaches it as JSON under {@value #ATTACHMENT}; the report reads it back into its "DR
 * timeline" section. This record is the format both sides share.
 *
 * @param drpc namespace/name of the DRPlacementControl
 * @param action Failover, Relocate, or Deploy (initial placement)
 * @param from the cluster the application ran on when the action was set (null for a deploy)
 * @param to the cluster the action moves it to
 * @param actionSetAt when the action was written to the DRPC
 * @param steps every change seen, in time order
 * @param rtoSeconds action set to workload ready on {@code to}; null if it never got ready
 * @param rpoRecords acknowledged records missing on {@code to}; null if not measured
 * @param rpoSeconds the writer's time those records span; null if not measured
 */
public record DrTimelineRecord(
    String drpc,
    String action,
    String from,
    String to,
    Instant actionSetAt,
    List<Step> steps,
    Double rtoSeconds,
    Long rpoRecords,
    Double rpoSeconds) {

  /** Name of the attachment that carries a timeline. */
  public static final String ATTACHMENT = "dr-timeline";

  public static final String MEDIA_TYPE = "application/json";

  /**
   * One observed change.
   *
   * @param source who reported it: {@code drpc}, {@code vrg/<cluster>}, {@code app/<cluster>}
   * @param what the field: {@code phase}, {@code progression}, {@code condition/<type>}, {@code state}
   * @param value the new value (a condition as {@code status/reason})
   */
  public record Step(Instant at, double offsetSeconds, String source, String what, String value) {}

  public DrTimelineRecord {
    steps = steps == null ? List.of() : List.copyOf(steps);
  }

  public String toJson() {
    try {
      return RunRecordJson.mapper().writeValueAsString(this);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write DR timeline of " + drpc, e);
    }
  }

  /** Parses an attachment's content; throws IllegalArgumentException saying what is wrong. */
  public static DrTimelineRecord parse(String json) {
    try {
      return RunRecordJson.mapper().readValue(json, DrTimelineRecord.class);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not a DR timeline: " + e.getOriginalMessage(), e);
    }
  }
}
