package dev.replcert.layer1.support;

import dev.replcert.harness.volume.VolumeIo;
import dev.replcert.harness.workload.Verification;
import dev.replcert.harness.workload.WriterReport;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Collectors;

/**
 * What the members of a group hold of one {@link DependentWriter} run, member by member in write
 * order. Member {@code m}'s local record {@code j} is global record {@code j * k + m}.
 *
 * @param members each member's verification, in write order
 * @param settled whether the members were read at one point in time (see {@link #read})
 */
public record GroupSnapshot(List<Verification> members, boolean settled) {

  /**
   * Reads the members last-written first, twice over. In that order a sync that lands in between
   * can only make an earlier-written member look further ahead, never a later one: {@link
   * #noMemberAhead} holds for any correct copy. If both passes read the same, nothing landed while
   * the first pass read (a secondary only gains records): the first pass is the copy at one point
   * in time, it is {@link #settled()}, and {@link #isContiguousPrefix} must hold as well.
   */
  public static GroupSnapshot read(DependentWriter writer, List<VolumeIo> members) {
    // one bound for every member, taken before reading: as if the copy were read a little earlier
    long lastAttempted =
        writer.reports().stream().mapToLong(WriterReport::lastAttempted).max().orElse(-1);
    List<Verification> first = pass(writer, members, lastAttempted);
    List<Verification> second = pass(writer, members, lastAttempted);
    boolean settled = true;
    for (int m = 0; m < members.size(); m++) {
      settled &= first.get(m).lastContiguous() == second.get(m).lastContiguous()
          && first.get(m).lastValid() == second.get(m).lastValid();
    }
    return new GroupSnapshot(first, settled);
  }

  private static List<Verification> pass(DependentWriter writer, List<VolumeIo> members, long lastAttempted) {
    List<Verification> read = new ArrayList<>(Collections.nCopies(members.size(), null));
    for (int m = members.size() - 1; m >= 0; m--) {
      read.set(m, RecordChecks.verify(members.get(m), writer.format(), writer.runId(), lastAttempted));
    }
    return List.copyOf(read);
  }

  /** Records of member {@code m} in its contiguous prefix. */
  public long count(int m) {
    return members.get(m).lastContiguous() + 1;
  }

  /** Records of the run in the members' prefixes, all members together. */
  public long total() {
    long total = 0;
    for (int m = 0; m < members.size(); m++) {
      total += count(m);
    }
    return total;
  }

  /**
   * No dependent write inverted: no member holds more records than a member written before it.
   * (A member ahead of its predecessor holds a record whose predecessor is missing.)
   */
  public boolean noMemberAhead() {
    for (int m = 1; m < members.size(); m++) {
      if (count(m) > count(m - 1)) {
        return false;
      }
    }
    return true;
  }

  /**
   * The members together hold exactly global records 0..n-1 for some n: each member a contiguous
   * prefix with nothing after it, the first member at most one record ahead of the last.
   */
  public boolean isContiguousPrefix() {
    for (Verification v : members) {
      if (!v.gaps().isEmpty() || v.lastValid() != v.lastContiguous()) {
        return false;
      }
    }
    return noMemberAhead() && count(members.size() - 1) >= count(0) - 1;
  }

  /** Every member holds at least the records it held in {@code earlier} (nothing seen is lost). */
  public boolean holdsAtLeast(GroupSnapshot earlier) {
    for (int m = 0; m < members.size(); m++) {
      if (count(m) < earlier.count(m)) {
        return false;
      }
    }
    return true;
  }

  /** Each member holds a crash-consistent prefix of what its writer issued. */
  public boolean eachIsPrefixOf(List<WriterReport> writers) {
    for (int m = 0; m < members.size(); m++) {
      if (!members.get(m).isPrefixOf(writers.get(m))) {
        return false;
      }
    }
    return true;
  }

  /** Acknowledged records, all members together, that are not in the members' prefixes. */
  public long lostRecords(List<WriterReport> writers) {
    long acked = writers.stream().mapToLong(WriterReport::ackedCount).sum();
    return Math.max(0, acked - total());
  }

  public String describe() {
    List<String> lines = new ArrayList<>();
    lines.add(
        "records per member (write order): "
            + members.stream()
                .map(v -> Long.toString(v.lastContiguous() + 1))
                .collect(Collectors.joining(", "))
            + (settled ? "" : " (read while a sync landed)"));
    for (int m = 0; m < members.size(); m++) {
      lines.add("member " + m + ": " + members.get(m).describe());
    }
    return String.join("\n", lines);
  }
}
