package dev.replcert.refdriver.grpc;

import dev.replcert.refdriver.DriverException;
import dev.replcert.refdriver.ErrorCode;
import java.util.List;

/**
 * CSI-style list paging (ListVolumes, ListVolumeGroups): the token is the index of the next entry
 * in id order. A token that does not parse or points past the end is ABORTED, as CSI specifies.
 */
record Paging<T>(List<T> page, String nextToken) {

  static <T> Paging<T> of(List<T> sorted, int maxEntries, String startingToken) {
    if (maxEntries < 0) {
      throw GrpcErrors.invalidArgument("max_entries must not be negative");
    }
    int start = start(startingToken, sorted.size());
    int end = maxEntries == 0 ? sorted.size() : (int) Math.min(sorted.size(), (long) start + maxEntries);
    String next = end < sorted.size() ? Integer.toString(end) : "";
    return new Paging<>(List.copyOf(sorted.subList(start, end)), next);
  }

  private static int start(String token, int size) {
    if (token == null || token.isEmpty()) {
      return 0;
    }
    try {
      int start = Integer.parseInt(token);
      if (start >= 0 && start <= size) {
        return start;
      }
    } catch (NumberFormatException notANumber) {
      // falls through to the CSI answer for a token this driver did not hand out
    }
    throw new DriverException(ErrorCode.ABORTED, "starting_token " + token + " is not valid");
  }
}
