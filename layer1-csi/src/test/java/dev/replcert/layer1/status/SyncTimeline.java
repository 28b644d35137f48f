package dev.replcert.layer1.status;

import static dev.replcert.layer1.support.ReplicationFixture.instant;

import dev.replcert.api.csiaddons.replication.GetVolumeReplicationInfoResponse;
import dev.replcert.layer1.support.ReplicationFixture;
import dev.replcert.layer1.support.Sampler.Sample;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * A series of GetVolumeReplicationInfo samples read as a timeline of last_sync_time: where it went
 * backwards, and how long it provably stood still. "Provably": a value first seen in sample i and
 * last seen in sample j was current from the end of call i at the latest to the start of call j at
 * the earliest, so {@code before(j) - after(i)} is a lower bound of how long no sync was reported,
 * whatever the sampling resolution; it uses only the harness's clock, so a driver's clock skew
 * does not count.
 */
record SyncTimeline(List<Sample<GetVolumeReplicationInfoResponse>> samples) {

  /** The first sample whose last_sync_time is unset, or -1. */
  int firstUnset() {
    for (int i = 0; i < samples.size(); i++) {
      if (!samples.get(i).value().hasLastSyncTime()) {
        return i;
      }
    }
    return -1;
  }

  /** The first sample whose last_sync_time is earlier than the one before it, or -1. */
  int firstBackwards() {
    for (int i = 1; i < samples.size(); i++) {
      if (time(i).isBefore(time(i - 1))) {
        return i;
      }
    }
    return -1;
  }

  /** The longest time a single last_sync_time value provably stayed the latest one reported. */
  Duration longestStandstill() {
    Duration longest = Duration.ZERO;
    int first = 0;
    for (int i = 1; i <= samples.size(); i++) {
      if (i == samples.size() || !time(i).equals(time(first))) {
        Duration stood = Duration.between(samples.get(first).after(), samples.get(i - 1).before());
        longest = stood.compareTo(longest) > 0 ? stood : longest;
        first = i;
      }
    }
    return longest;
  }

  /** The largest step between successive distinct values, on the driver's clock. */
  Duration largestStep() {
    Duration largest = Duration.ZERO;
    for (int i = 1; i < samples.size(); i++) {
      Duration step = Duration.between(time(i - 1), time(i));
      largest = step.compareTo(largest) > 0 ? step : largest;
    }
    return largest;
  }

  /** How many times the value moved forward. */
  long advances() {
    long advances = 0;
    for (int i = 1; i < samples.size(); i++) {
      if (time(i).isAfter(time(i - 1))) {
        advances++;
      }
    }
    return advances;
  }

  /** The largest lag of a sample: the call's start minus its last_sync_time (clocks compared). */
  Duration largestLag() {
    return samples.stream()
        .map(s -> Duration.between(instant(s.value().getLastSyncTime()), s.before()))
        .max(Duration::compareTo)
        .orElse(Duration.ZERO);
  }

  Instant time(int i) {
    return instant(samples.get(i).value().getLastSyncTime());
  }

  /** One line per sample: when it was taken and what it said. */
  String render() {
    Instant start = samples.isEmpty() ? Instant.EPOCH : samples.get(0).before();
    return samples.stream()
        .map(s -> String.format(Locale.ROOT, "+%4d ms  %s",
            Duration.between(start, s.before()).toMillis(), ReplicationFixture.describe(s.value())))
        .collect(Collectors.joining("\n"));
  }
}
