package dev.replcert.layer1.kube;

import dev.replcert.harness.grpc.CallLog;
import dev.replcert.harness.grpc.CallRecord;
import dev.replcert.harness.spi.Environment;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The driver side of a Kubernetes test: the gRPC calls the csi-addons controller made for one
 * volume since the test began, when the environment records them (the lab's controller talks to
 * the driver through the harness's call log; on real clusters the controller's calls are not
 * visible to the harness, and tests then check only what Kubernetes shows). The harness
 * attaches the whole call log to each test's evidence itself.
 */
public final class DriverCalls {

  private final Optional<CallLog> log;
  private final long mark;

  private DriverCalls(Optional<CallLog> log) {
    this.log = log;
    this.mark = log.map(CallLog::mark).orElse(0L);
  }

  /** The calls from now on. */
  public static DriverCalls from(Environment environment) {
    return new DriverCalls(environment.client(CallLog.class, Optional.empty()));
  }

  public boolean recorded() {
    return log.isPresent();
  }

  /** Calls to the site's driver whose request names the volume (or every call, handle null). */
  public List<CallRecord> on(String site, String handle) {
    return log.map(l -> l.since(mark)).orElse(List.of()).stream()
        .filter(c -> c.endpoint().equals(site) || c.endpoint().startsWith(site + "/"))
        .filter(c -> handle == null || c.request().contains(handle))
        .toList();
  }

  /** The csi-addons replication method names called, e.g. {@code DemoteVolume}, in order. */
  public List<String> replicationMethods(String site, String handle) {
    return on(site, handle).stream()
        .filter(c -> c.method().startsWith("replication.Controller/"))
        .map(c -> c.method().substring(c.method().indexOf('/') + 1))
        .toList();
  }

  /**
   * The longest gap between two GetVolumeReplicationInfo calls for the volume: how often the
   * controller refreshes the VR's lastSync fields. Empty without a log or with fewer than two.
   */
  public Optional<Duration> infoRefresh(String site, String handle) {
    List<CallRecord> polls = on(site, handle).stream()
        .filter(c -> c.method().endsWith("/GetVolumeReplicationInfo"))
        .toList();
    Duration longest = null;
    for (int i = 1; i < polls.size(); i++) {
      Duration gap = Duration.between(polls.get(i - 1).startedAt(), polls.get(i).startedAt());
      longest = longest == null || gap.compareTo(longest) > 0 ? gap : longest;
    }
    return Optional.ofNullable(longest);
  }

  public String render(String site, String handle) {
    return on(site, handle).stream().map(CallRecord::line).collect(Collectors.joining("\n"));
  }
}
