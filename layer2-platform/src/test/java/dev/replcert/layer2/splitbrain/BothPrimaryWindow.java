package dev.replcert.layer2.splitbrain;

import dev.replcert.layer2.splitbrain.PrimarySampler.Sample;
import java.time.Duration;
import java.util.List;

/**
 * What one claim's samples during a Failover with both clusters up show: the first sample with
 * the target's driver primary (the promote reached the target between it and {@code lastBefore}),
 * the first sample with both primary, and the first sample after the promote with the source no
 * longer primary (the window closed). Ramen's Regional failover promotes the target first and
 * demotes the source in its clean-up, so both are primary for a while; that window must close and
 * nothing the source accepted in it may reach the target.
 *
 * @param lastBefore the last sample before the promote was seen, or null
 * @param promoteSeen the first sample with the target primary, or null if none
 * @param opened the first sample with both primary, or null if none
 * @param closed the first sample at or after the promote (and the opening) with the source not
 *     primary, or null if none
 */
record BothPrimaryWindow(String claim, Sample lastBefore, Sample promoteSeen, Sample opened, Sample closed) {

  static BothPrimaryWindow of(String claim, List<Sample> samples, String source, String target) {
    Sample before = null;
    Sample promote = null;
    Sample opened = null;
    Sample closed = null;
    for (Sample s : samples) {
      if (promote == null && s.primary(target)) {
        promote = s;
      } else if (promote == null) {
        before = s;
      }
      if (opened == null && s.twoWritablePrimaries()) {
        opened = s;
      }
      if (promote != null && closed == null && !s.primary(source)
          && (opened == null || !s.at().isBefore(opened.at()))) {
        closed = s;
      }
    }
    return new BothPrimaryWindow(claim, before, promote, opened, closed);
  }

  /** Whether the source stopped being primary after the target became primary. */
  boolean closes() {
    return promoteSeen != null && closed != null;
  }

  /** How long both were seen primary (zero if never), to the sampler's granularity. */
  Duration open() {
    return opened == null || closed == null ? Duration.ZERO : Duration.between(opened.at(), closed.at());
  }

  /**
   * What the source's writer had last reported acknowledging when the promote was seen: its
   * progress line read right after the driver roles of the first sample that saw the target
   * primary (a line the writer prints every progress interval, so it may lag by one).
   */
  Long sourceAckedByPromote() {
    return promoteSeen == null ? null : promoteSeen.sourceAcked();
  }

  String describe() {
    return claim + ": last sample before the promote " + line(lastBefore) + "; promote seen " + line(promoteSeen)
        + "; both primary from " + line(opened) + "; closed " + line(closed) + "; open " + open().toMillis()
        + " ms";
  }

  private static String line(Sample s) {
    return s == null ? "never" : s.line();
  }
}
