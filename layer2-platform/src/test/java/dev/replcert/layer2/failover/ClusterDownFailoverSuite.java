package dev.replcert.layer2.failover;

import static org.assertj.core.api.Assertions.assertThat;

import dev.replcert.api.k8s.Ramen;
import dev.replcert.harness.config.Capability;
import dev.replcert.harness.config.CertificationConfig;
import dev.replcert.harness.config.TimeoutOperation;
import dev.replcert.harness.junit.Certification;
import dev.replcert.harness.junit.PlanItem;
import dev.replcert.harness.junit.RequiresCapability;
import dev.replcert.harness.record.Evidence;
import dev.replcert.harness.spi.Environment;
import dev.replcert.harness.track.ResourceTracker;
import dev.replcert.layer2.fixture.ClusterState;
import dev.replcert.layer2.fixture.DrFixture;
import dev.replcert.layer2.fixture.FailoverScenario;
import dev.replcert.layer2.fixture.FailoverScenario.ClusterDown;
import dev.replcert.layer2.fixture.SiteDisaster;
import dev.replcert.layer2.fixture.Survivor;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * East is lost mid-write and the user fails the application over to west through the DRPC: west's
 * VRG restores the PVs and PVCs from S3 (west's own store when east's went down with east), the
 * writers resume on west after what the restored volumes hold, and that is a crash-consistent
 * prefix of what east acknowledged, within one sync interval plus a sync.
 */
@Certification
class ClusterDownFailoverSuite {

  /** Ramen's annotation on PVs and PVCs it restored from S3. */
  static final String RESTORED = "volumereplicationgroups.ramendr.openshift.io/ramen-restore";

  private DrFixture dr;
  private Environment environment;

  @BeforeEach
  void setUp(TestInfo test, Environment environment, CertificationConfig config, ResourceTracker tracker,
      Evidence evidence) {
    this.dr = new DrFixture(DrFixture.plan(test), environment, config, tracker, evidence);
    this.environment = environment;
  }

  @Test
  @PlanItem("L2-FO-001")
  @RequiresCapability({Capability.REPLICATION, Capability.FORCE_PROMOTE})
  void aClusterDownFailoverKeepsAContiguousPrefixOfEastsWritesWithinTheRpoBound() {
    FailoverScenario scenario = FailoverScenario.protectedOnEast(dr, environment, 2);
    SiteDisaster east = SiteDisaster.of(dr, environment, dr.east());

    ClusterDown failover = scenario.failEastOverToWest(east);
    ClusterState west = scenario.state(dr.west());
    assertPrimaryRestoredFromS3(scenario, west);
    List<Survivor> kept = scenario.survivors(dr.west(), failover.acknowledged(), failover.timeline());
    failover.timeline().finish();

    dr.evidence().measure("rpo.bound", failover.bound().seconds(), "s");
    for (Survivor s : kept) {
      assertThat(s.contiguous())
          .as("after east was lost mid-write, west must hold a crash-consistent prefix of what east acknowledged"
              + " (one intact run from #0, no gap, no damaged record) continued by west's writer: %s", s.describe())
          .isTrue();
      assertThat(s.lostSeconds())
          .as("west lost %d records (about %s s) of what east acknowledged; a failover keeps the last applied"
              + " sync, so the loss must be within the RPO bound %s: %s", s.lostRecords(), s.lostSeconds(),
              failover.bound().describe(), s.describe())
          .isLessThanOrEqualTo(failover.bound().seconds());
    }
  }

  @Test
  @PlanItem("L2-S3-004")
  @RequiresCapability({Capability.REPLICATION, Capability.FORCE_PROMOTE})
  void aFailoverRestoresFromWestsS3StoreWhenEastsStoreWentDownWithEast() {
    FailoverScenario scenario = FailoverScenario.protectedOnEast(dr, environment, 1);
    SiteDisaster east = SiteDisaster.of(dr, environment, dr.east());

    ClusterDown failover = scenario.failEastOverToWest(east);
    ClusterState west = scenario.state(dr.west());
    assertPrimaryRestoredFromS3(scenario, west);
    // west's VRG, now primary, uploads to every profile: east's store answering would make it
    // ClusterDataProtected; its upload error is the proof the restore did without east's store
    Condition protectedData = dr.waits().until(
        "west's VRG reports ClusterDataProtected=False (east's S3 store is down with east)",
        TimeoutOperation.S3_UPLOAD, () -> west.vrgCondition(Ramen.VrgCondition.CLUSTER_DATA_PROTECTED.wire())
            .orElse(null),
        c -> c != null && "False".equals(c.getStatus()));
    dr.evidence().attach("west's VRG ClusterDataProtected while east is down", String.valueOf(protectedData));
    assertThat(east.isDown()).as("east (its API server, driver and S3 store) still down during the restore").isTrue();
    List<Survivor> kept = scenario.survivors(dr.west(), failover.acknowledged(), failover.timeline());
    failover.timeline().finish();

    for (Survivor s : kept) {
      assertThat(s.contiguous() && s.lostSeconds() <= failover.bound().seconds())
          .as("restored from west's store alone, west must hold a crash-consistent prefix within the RPO bound %s:"
              + " %s", failover.bound().describe(), s.describe())
          .isTrue();
    }
  }

  /**
   * West's VRG is Primary with its cluster data restored from S3 (ClusterDataReady True/Restored at
   * its generation), and each claim is Bound to a PV Ramen restored (annotation ramen-restore).
   */
  static void assertPrimaryRestoredFromS3(FailoverScenario scenario, ClusterState site) {
    String vrgState = site.vrgState();
    assertThat(vrgState).as("VRG on %s after the action: %s", site.site(), site.describe())
        .isEqualTo(Ramen.VrgState.PRIMARY.wire());
    assertThat(site.vrgCondition(Ramen.VrgCondition.CLUSTER_DATA_READY.wire()))
        .as("VRG on %s must have restored the PVs and PVCs from S3 (ClusterDataReady True/Restored): %s",
            site.site(), site.describe())
        .hasValueSatisfying(c -> assertThat(c.getStatus() + "/" + c.getReason()).isEqualTo("True/Restored"));
    for (String claim : scenario.app().protectedClaims()) {
      assertThat(site.pvc(claim)).as("PVC %s on %s", claim, site.site()).isNotNull()
          .satisfies(p -> assertThat(p.getStatus().getPhase()).as("PVC %s phase", claim).isEqualTo("Bound"));
      PersistentVolume pv = site.pv(claim);
      assertThat(pv).as("PV of PVC %s on %s", claim, site.site()).isNotNull();
      assertThat(pv.getMetadata().getAnnotations())
          .as("PV %s of %s on %s must be the one Ramen restored from S3", pv.getMetadata().getName(), claim,
              site.site())
          .containsEntry(RESTORED, "True");
    }
  }
}
