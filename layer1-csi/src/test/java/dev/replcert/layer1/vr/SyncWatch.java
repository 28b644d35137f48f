package dev.replcert.layer1.vr;

import static org.assertj.core.api.Assertions.assertThat;

import dev.replcert.harness.config.CertificationConfig;
import dev.replcert.harness.config.TimeoutOperation;
import dev.replcert.harness.config.TimeoutProfile;
import dev.replcert.layer1.kube.KubeFixture;
import dev.replcert.layer1.kube.KubeSite;
import dev.replcert.layer1.kube.VrStatus;
import java.time.Duration;
import java.time.ZonedDateTime;

/**
 * The lastSyncTime a VolumeReplication reports. Two clocks drive it: the driver syncs every
 * interval, and the csi-addons controller copies GetVolumeReplicationInfo into the status every
 * refresh (the interval itself under 2m, half of it above). So an advance is due within twice the
 * slower of the two; the refresh is measured from the driver calls where the environment records
 * them, else taken as csi-addons' rule for the class's interval.
 */
final class SyncWatch {

  private final KubeFixture kube;
  private final TimeoutProfile timeouts;
  private final Duration classInterval;

  SyncWatch(KubeFixture kube, CertificationConfig config) {
    this.kube = kube;
    this.timeouts = config.timeoutProfile();
    this.classInterval = config.driver().replication().schedulingInterval();
  }

  /** Waits until the VR reports a lastSyncTime (the first sync reached the peer). */
  VrStatus awaitFirstSync(KubeSite site, String vr) {
    return site.replications().await(vr, "reports a lastSyncTime", TimeoutOperation.FIRST_SYNC,
        s -> s.lastSyncTime() != null);
  }

  /**
   * The VR's lastSyncTime advances {@code times} times, each advance seen within twice the
   * interval (plus one poll); records each gap as evidence.
   */
  void assertAdvancing(KubeSite site, String vr, String handle, VrStatus from, int times) {
    ZonedDateTime last = from.lastSyncTime();
    for (int i = 1; i <= times; i++) {
      Duration bound = twiceInterval(site, handle);
      ZonedDateTime previous = last;
      long started = System.nanoTime();
      VrStatus advanced = site.replications().await(vr,
          "reports a lastSyncTime after " + previous + " (advance " + i + " of " + times + ", due within "
              + bound + ")",
          bound, s -> s.lastSyncTime() != null && s.lastSyncTime().isAfter(previous));
      kube.evidence().measure("lastSyncTime.advance" + i + ".seenAfter", (System.nanoTime() - started) / 1e9, "s");
      last = advanced.lastSyncTime();
      assertThat(last.toInstant())
          .as("lastSyncTime of %s is a time that has happened: %s", vr, advanced)
          .isBeforeOrEqualTo(java.time.Instant.now().plus(timeouts.of(TimeoutOperation.POLL)));
    }
  }

  /** Two sync intervals and a poll: how long a VR is watched for something that must not happen. */
  Duration twiceSyncInterval() {
    return kube.syncInterval().multipliedBy(2).plus(timeouts.of(TimeoutOperation.POLL));
  }

  Duration twiceInterval(KubeSite site, String handle) {
    Duration refresh = kube.calls().infoRefresh(site.site(), handle)
        .orElse(classInterval.compareTo(Duration.ofMinutes(2)) < 0 ? classInterval : classInterval.dividedBy(2));
    Duration slower = refresh.compareTo(kube.syncInterval()) > 0 ? refresh : kube.syncInterval();
    return slower.multipliedBy(2).plus(timeouts.of(TimeoutOperation.POLL));
  }
}
