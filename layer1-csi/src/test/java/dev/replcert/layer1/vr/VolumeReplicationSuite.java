package dev.replcert.layer1.vr;

import static org.assertj.core.api.Assertions.assertThat;

import dev.replcert.api.k8s.CsiAddons.ConditionType;
import dev.replcert.api.k8s.CsiAddons.Reason;
import dev.replcert.harness.config.Capability;
import dev.replcert.harness.config.CertificationConfig;
import dev.replcert.harness.junit.Certification;
import dev.replcert.harness.junit.PlanItem;
import dev.replcert.harness.junit.RequiresCapability;
import dev.replcert.harness.record.Evidence;
import dev.replcert.harness.spi.Environment;
import dev.replcert.harness.track.ResourceTracker;
import dev.replcert.layer1.kube.KubeFixture;
import dev.replcert.layer1.kube.KubeSite;
import dev.replcert.layer1.kube.VrStatus;
import io.openshift.storage.replication.v1alpha1.VolumeReplicationSpec.ReplicationState;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * A VolumeReplication's life as csi-addons drives it on one cluster: promoted and syncing, demoted
 * and back, conditions that always carry the generation they describe, a VR without a claim, and
 * the finalizers that tie a claim to its primary VR. The status is checked against what the
 * driver was really asked (the call log, where the environment records it).
 */
@Certification
class VolumeReplicationSuite {

  private KubeFixture kube;
  private KubeSite east;
  private SyncWatch sync;

  @BeforeEach
  void connect(TestInfo test, Environment environment, CertificationConfig config, ResourceTracker tracker,
      Evidence evidence) {
    kube = new KubeFixture(plan(test), environment, config, tracker, evidence);
    east = kube.east();
    sync = new SyncWatch(kube, config);
  }

  @Test
  @PlanItem("L1-VR-001")
  @RequiresCapability(Capability.REPLICATION)
  void aPrimaryVolumeReplicationIsPromotedHealthyAndReportsAnAdvancingLastSyncTime() {
    east.claims().mustCreate("data");
    String handle = east.claims().handle("data");
    east.replications().create("data", ReplicationState.PRIMARY);
    east.replications().awaitPromoted("data");

    VrStatus synced = sync.awaitFirstSync(east, "data");
    assertThat(synced.conditionSet())
        .as("%s once synced: %s", east.replications().describe("data"), synced)
        .contains("Completed=True/Promoted", "Degraded=False/Healthy")
        .doesNotContain("Validated=False/PrerequisiteNotMet", "Replicating=False/NotReplicating");
    assertThat(synced.status().orElseThrow().getLastSyncBytes())
        .as("lastSyncBytes of %s", synced).satisfiesAnyOf(b -> assertThat(b).isNull(), b -> assertThat(b).isNotNegative());
    sync.assertAdvancing(east, "data", handle, synced, 3);
    assertEnabledThenPromoted(handle);
  }

  private void assertEnabledThenPromoted(String handle) {
    if (kube.calls().recorded()) {
      assertThat(kube.calls().replicationMethods("east", handle))
          .as("the csi-addons calls for volume %s on east:%n%s", handle, kube.calls().render("east", handle))
          .containsSubsequence("EnableVolumeReplication", "PromoteVolume", "GetVolumeReplicationInfo");
    }
  }

  private static String plan(TestInfo test) {
    return test.getTestMethod().map(m -> m.getAnnotation(PlanItem.class).value()).orElse("vr");
  }
}
