package dev.replcert.layer2.start;

import dev.replcert.harness.config.TimeoutOperation;
import dev.replcert.layer2.fixture.DrActions;
import dev.replcert.layer2.fixture.DrFixture;
import io.openshift.ramendr.v1alpha1.DRPlacementControlStatus;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The DRPC's lastGroupSyncTime as a user watching it sees it: every value it shows while it
 * advances a number of times. A reported sync time that goes backwards would make a user (and
 * Ramen's RPO alerts) think data is older or newer than it is, so the sampler stops at the first
 * step back and reports it with the values before it.
 */
final class GroupSyncSamples {

  private final List<String> seen = new ArrayList<>();
  private ZonedDateTime latest;
  private String backwards;
  private int advances;

  private GroupSyncSamples(ZonedDateTime from) {
    this.latest = from;
    seen.add(from.toInstant() + " (start)");
  }

  /**
   * Watches the DRPC from {@code from} until its lastGroupSyncTime has advanced {@code count}
   * times or has gone back once; each advance is due within twice the interval.
   */
  static GroupSyncSamples watch(DrFixture dr, DrActions drpc, ZonedDateTime from, int count, Duration twiceInterval) {
    GroupSyncSamples samples = new GroupSyncSamples(from);
    Duration limit = dr.waits().timeout(TimeoutOperation.POLL).plus(twiceInterval.multipliedBy(count));
    drpc.await("lastGroupSyncTime advances " + count + " times from " + from.toInstant() + " without going back",
        limit, s -> samples.take(s.status().map(DRPlacementControlStatus::getLastGroupSyncTime), count));
    return samples;
  }

  private boolean take(Optional<ZonedDateTime> observed, int count) {
    if (observed.isEmpty()) {
      return false; // the VRG left its group sync unset for a moment (a PVC re-listed): not a value
    }
    ZonedDateTime t = observed.get();
    if (t.isBefore(latest)) {
      backwards = t.toInstant() + " after " + latest.toInstant();
      seen.add(t.toInstant() + " (BACKWARDS, seen at " + Instant.now() + ")");
      return true;
    }
    if (t.isAfter(latest)) {
      latest = t;
      advances++;
      seen.add(t.toInstant().toString());
    }
    return advances >= count;
  }

  /** The first step back, if any: "then after before". */
  Optional<String> backwards() {
    return Optional.ofNullable(backwards);
  }

  @Override
  public String toString() {
    return String.join(", ", seen);
  }
}
