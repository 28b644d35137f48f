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
import dev.replcert.harness.config.TimeoutOperation;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
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
    assertCalled(handle, "EnableVolumeReplication", "PromoteVolume", "GetVolumeReplicationInfo");
  }


  @Test
  @PlanItem("L1-VR-002")
  @RequiresCapability(Capability.REPLICATION)
  void settingSecondaryDemotesTheVolumeAndSettingPrimaryPromotesItAgain() {
    east.claims().mustCreate("data");
    String handle = east.claims().handle("data");
    east.replications().create("data", ReplicationState.PRIMARY);
    east.replications().awaitPromoted("data");
    east.write("data", "vr-002", 0, 20);

    east.replications().setState("data", ReplicationState.SECONDARY);
    VrStatus demoted = east.replications().awaitDemoted("data");
    assertThat(demoted.condition(ConditionType.REPLICATING))
        .as("a secondary VR carries no Replicating condition (csi-addons removes it): %s", demoted)
        .isEmpty();
    assertCalled(handle, "DemoteVolume");

    east.replications().setState("data", ReplicationState.PRIMARY);
    east.replications().awaitPromoted("data");
    assertCalled(handle, "DemoteVolume", "PromoteVolume");
  }

  @Test
  @PlanItem("L1-VR-004")
  @RequiresCapability(Capability.REPLICATION)
  void everyConditionCarriesTheGenerationItDescribes() {
    east.claims().mustCreate("data");
    east.replications().create("data", ReplicationState.PRIMARY);
    assertConditionsCurrent("primary", Reason.PROMOTED, TimeoutOperation.PROMOTE);
    east.replications().setState("data", ReplicationState.SECONDARY);
    assertConditionsCurrent("secondary", Reason.DEMOTED, TimeoutOperation.DEMOTE);
    east.replications().setState("data", ReplicationState.PRIMARY);
    assertConditionsCurrent("primary again", Reason.PROMOTED, TimeoutOperation.PROMOTE);
  }

  /**
   * Waits until the status describes the VR's generation: Completed=True/reason and every other
   * condition stamped with that generation. On every poll, Completed=True from an older generation
   * next to a status that claims the current one fails at once: Ramen reads it as done when it is
   * not. Other conditions may lag for a poll while the controller's passes catch up; those seen are
   * kept as evidence.
   */
  private void assertConditionsCurrent(String step, Reason reason, TimeoutOperation limit) {
    Set<String> lagging = new TreeSet<>();
    VrStatus done = east.replications().await("data",
        "(" + step + ") reports Completed=True/" + reason.wire() + " and every condition for its generation",
        limit, vr -> {
          boolean staleCompleted = vr.current()
              && vr.condition(ConditionType.COMPLETED)
                  .filter(c -> "True".equals(c.getStatus()))
                  .filter(c -> !Objects.equals(c.getObservedGeneration(), vr.generation()))
                  .isPresent();
          assertThat(staleCompleted)
              .as("(%s) Completed=True from an older generation while status.observedGeneration is the"
                  + " current one: %s", step, vr)
              .isFalse();
          if (vr.current()) {
            lagging.addAll(vr.staleConditions());
          }
          return vr.completed(reason) && vr.staleConditions().isEmpty();
        });
    kube.evidence().attach("VR after " + step, done
        + (lagging.isEmpty() ? "" : "; conditions seen lagging behind the generation meanwhile: " + lagging));
  }

  @Test
  @PlanItem("L1-VR-005")
  @RequiresCapability(Capability.REPLICATION)
  void aVolumeReplicationOfAMissingClaimNeverCompletes() {
    east.replications().create("ghost", "absent", ReplicationState.PRIMARY);
    VrStatus reported = east.replications().await("ghost", "reports in status.message why it cannot replicate",
        TimeoutOperation.PROMOTE, vr -> vr.message() != null && vr.message().contains("absent"));
    east.replications().assertStays("ghost", "is never Primary nor Completed=True", sync.twiceSyncInterval(),
        vr -> !"Primary".equals(vr.state()) && !vr.has(ConditionType.COMPLETED, "True", Reason.PROMOTED)
            && vr.condition(ConditionType.COMPLETED).map(c -> !"True".equals(c.getStatus())).orElse(true));
    kube.evidence().attach("VR of a missing PVC", reported.toString());
    if (kube.calls().recorded()) {
      assertThat(kube.calls().replicationMethods("east", null))
          .as("east: csi-addons calls while the only VR names a missing PVC:%n%s", kube.calls().render("east", null))
          .doesNotContain("EnableVolumeReplication", "PromoteVolume");
    }
  }

  private void assertCalled(String handle, String... methods) {
    if (kube.calls().recorded()) {
      assertThat(kube.calls().replicationMethods("east", handle))
          .as("the csi-addons calls for volume %s on east:%n%s", handle, kube.calls().render("east", handle))
          .containsSubsequence(methods);
    }
  }

  static String plan(TestInfo test) {
    return test.getTestMethod().map(m -> m.getAnnotation(PlanItem.class).value()).orElse("vr");
  }
}
