package dev.replcert.layer1.vr;

import static org.assertj.core.api.Assertions.assertThat;

import dev.replcert.harness.workload.Verification;
import dev.replcert.harness.workload.WriterReport;
import dev.replcert.layer1.kube.KubeFixture;
import dev.replcert.layer1.kube.KubeSite;
import dev.replcert.layer1.kube.VrStatus;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.openshift.storage.replication.v1alpha1.VolumeReplicationSpec.ReplicationState;

/**
 * ceph-csi's planned failover done with VolumeReplications alone, for one claim named like its VR:
 * the application is stopped on the old primary, its VR set to secondary and seen Demoted, the
 * claim made available on the new primary (recreated from the old PV the first time, claimRef
 * dropped) and its VR set to primary and seen Promoted. Each step that lands is timed as evidence.
 */
final class Switchover {

  private final KubeFixture kube;
  private final String claim;

  Switchover(KubeFixture kube, String claim) {
    this.kube = kube;
    this.claim = claim;
  }

  /** Demote {@code from}, then promote {@code to}; returns seconds until {@code to} was Promoted. */
  double run(KubeSite from, KubeSite to) {
    long start = System.nanoTime();
    from.replications().setState(claim, ReplicationState.SECONDARY);
    VrStatus demoted = from.replications().awaitDemoted(claim);
    kube.evidence().measure(key(from, to) + ".demoted", seconds(start), "s");
    if (to.claims().get(claim) == null) {
      restoreClaim(from, to, demoted);
    }
    if (to.replications().observe(claim).exists()) {
      to.replications().setState(claim, ReplicationState.PRIMARY);
    } else {
      to.replications().create(claim, ReplicationState.PRIMARY);
    }
    to.replications().awaitPromoted(claim);
    double promoted = seconds(start);
    kube.evidence().measure(key(from, to) + ".promoted", promoted, "s");
    return promoted;
  }

  /**
   * The claim on the peer: the PV copied from the old primary's, naming the replica (the
   * destination volume the VR reports, else the same handle, as on mirrored pools), then the claim.
   */
  void restoreClaim(KubeSite from, KubeSite to, VrStatus fromVr) {
    PersistentVolume original = from.claims().volume(claim);
    String destination = fromVr.status().map(s -> s.getDestinationVolumeID()).orElse(null);
    String handle = destination == null || destination.isBlank()
        ? original.getSpec().getCsi().getVolumeHandle()
        : destination;
    to.claims().mustClaimExisting(claim, original, handle);
  }

  /** The site holds exactly records #0..#lastAcked of the run: nothing acknowledged is lost. */
  static void assertNothingLost(KubeFixture kube, KubeSite site, String claim, String run, WriterReport written,
      String when) {
    Verification found = site.verify(claim, run);
    kube.evidence().attach("verification on " + site.site() + " " + when, found.describe(written));
    kube.evidence().measure("lostRecords." + site.site(), found.lostRecords(written), "records");
    assertThat(found.lastContiguous() == written.lastAcked()
            && found.lastValid() == found.lastContiguous()
            && found.corruptCount() == 0)
        .as("%s: PVC %s must hold records #0..#%d of data run %s exactly %s; %s",
            site, claim, written.lastAcked(), run, when, found.describe(written))
        .isTrue();
  }

  private static String key(KubeSite from, KubeSite to) {
    return "switchover." + from.site() + "To" + Character.toUpperCase(to.site().charAt(0)) + to.site().substring(1);
  }

  static double seconds(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e9;
  }
}
