package dev.replcert.harness.track;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ResourceTrackerTest {

  private final List<String> log = new ArrayList<>();
  private final ResourceTracker tracker = new ResourceTracker("test");

  @Test
  void cleansUpNewestFirstAndForgetsWhatItCleaned() {
    String volume = tracker.track("volume", "vol-1", () -> log.add("volume"));
    tracker.track("replication", () -> log.add("replication"));
    tracker.track("pod", () -> log.add("pod"));

    assertThat(volume).isEqualTo("vol-1");
    assertThat(tracker.tracked()).containsExactly("pod", "replication", "volume");
    tracker.cleanUp();

    assertThat(log).containsExactly("pod", "replication", "volume");
    assertThat(tracker.tracked()).isEmpty();
    tracker.cleanUp();
    assertThat(log).hasSize(3);
  }

  @Test
  void triesEveryCleanupAndReportsAllFailuresTogether() {
    tracker.track("volume", () -> log.add("volume"));
    tracker.track(
        "fence",
        () -> {
          throw new IllegalStateException("fence still active");
        });
    tracker.track(
        "pod",
        () -> {
          throw new AssertionError("pod stuck terminating");
        });

    assertThatThrownBy(tracker::cleanUp)
        .isInstanceOf(CleanupFailedException.class)
        .hasMessageContaining("2 resource(s)")
        .hasMessageContaining("pod (java.lang.AssertionError: pod stuck terminating)")
        .hasMessageContaining("fence (java.lang.IllegalStateException: fence still active)")
        .satisfies(e -> assertThat(e.getSuppressed()).hasSize(2));
    assertThat(log).containsExactly("volume");
  }

  @Test
  void abandonKeepsResourcesAndSaysWhichWereLeft() {
    tracker.track("volume", () -> log.add("volume"));

    assertThat(tracker.abandon()).containsExactly("volume");
    tracker.cleanUp();

    assertThat(log).isEmpty();
  }
}
