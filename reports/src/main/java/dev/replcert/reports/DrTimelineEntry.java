package dev.replcert.reports;

import dev.replcert.harness.record.Attachment;
import dev.replcert.harness.record.DrTimelineRecord;
import dev.replcert.harness.record.Outcome;
import java.util.ArrayList;
import java.util.List;

/**
 * One DR action's timeline for the report's "DR timeline" section: the test that attached it (as
 * {@value DrTimelineRecord#ATTACHMENT}), its outcome, and the timeline; or, when the attachment
 * does not parse, why (shown instead of silently dropping it).
 *
 * @param planId the test's plan item, null if it has none
 * @param test the test's display name
 * @param timeline the parsed timeline, null if {@code problem} says why not
 * @param problem why the attachment could not be read, else null
 */
public record DrTimelineEntry(String planId, String test, Outcome outcome, DrTimelineRecord timeline, String problem) {

  /** Every timeline attached by the run's tests, in the order of the tests and their attachments. */
  static List<DrTimelineEntry> collect(List<ExecutedTest> tests) {
    List<DrTimelineEntry> entries = new ArrayList<>();
    for (ExecutedTest t : tests) {
      for (Attachment a : t.result().attachments()) {
        if (!DrTimelineRecord.ATTACHMENT.equals(a.name())) {
          continue;
        }
        String name = t.result().displayName() == null ? t.result().testId() : t.result().displayName();
        try {
          entries.add(new DrTimelineEntry(t.result().planId(), name, t.result().outcome(),
              DrTimelineRecord.parse(a.content()), null));
        } catch (IllegalArgumentException e) {
          entries.add(new DrTimelineEntry(t.result().planId(), name, t.result().outcome(), null, e.getMessage()));
        }
      }
    }
    return List.copyOf(entries);
  }

  /** "Failover east → west", as a heading says it. */
  String title() {
    if (timeline == null) {
      return "unreadable timeline";
    }
    String where = timeline.from() == null ? "to " + timeline.to() : timeline.from() + " \u2192 " + timeline.to();
    return timeline.action() + " " + where + " (" + timeline.drpc() + ")";
  }

  /** RTO as the summary shows it, or what is missing. */
  String rto() {
    return timeline == null || timeline.rtoSeconds() == null
        ? "not reached"
        : Format.number(timeline.rtoSeconds()) + " s";
  }

  /** RPO as the summary shows it, or that it was not measured. */
  String rpo() {
    return timeline == null || timeline.rpoRecords() == null
        ? "not measured"
        : timeline.rpoRecords() + " records, " + Format.number(timeline.rpoSeconds()) + " s";
  }
}
