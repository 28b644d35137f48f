package dev.replcert.orchestrator.drpc;

import static dev.replcert.orchestrator.drpc.DrpcHub.EAST;
import static dev.replcert.orchestrator.drpc.DrpcHub.WEST;
import static dev.replcert.orchestrator.testing.ConditionAssert.condition;
import static dev.replcert.orchestrator.testing.MockApi.holds;
import static dev.replcert.orchestrator.testing.MockApi.until;
import static org.assertj.core.api.Assertions.assertThat;

import dev.replcert.orchestrator.drpc.DrpcHub.Seen;
import dev.replcert.orchestrator.drpc.DrpcHub.WorkEvent;
import io.open_cluster_management.work.v1.manifestworkspec.DeleteOption;
import io.openshift.ramendr.v1alpha1.DRCluster;
import io.openshift.ramendr.v1alpha1.DRClusterSpec.ClusterFence;
import io.openshift.ramendr.v1alpha1.DRPlacementControl;
import io.openshift.ramendr.v1alpha1.DRPlacementControlSpec.Action;
import io.openshift.ramendr.v1alpha1.VolumeReplicationGroup;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Failover, Relocate and deletion of a deployed DRPC, the clusters played by the test. */
class DrpcActionsTest {

  private DrpcHub hub;

  @AfterEach
  void stop() {
    if (hub != null) {
      hub.close();
    }
  }

  private void deployed(String interval) {
    hub = new DrpcHub(interval);
    hub.createApp("app", EAST);
    hub.waitFor("app", "Deployed", "Completed");
  }

  private void failover() {
    hub.editDrpc("app", s -> {
      s.setAction(Action.FAILOVER);
      s.setFailoverCluster(WEST);
    });
  }

  private void relocate(String to) {
    hub.editDrpc("app", s -> {
      s.setAction(Action.RELOCATE);
      s.setPreferredCluster(to);
    });
  }

  private String state(String cluster) {
    VolumeReplicationGroup v = hub.deliveredVrg(cluster, "app");
    return v == null ? null : v.getSpec().getReplicationState().getValue();
  }

  @Test
  void regionalFailoverWithTheSourceDownCleansUpWhenItComesBack() {
    deployed("5m");
    hub.setReachable(EAST, false);
    failover();

    DRPlacementControl drpc = hub.waitFor("app", "FailedOver", "Cleaning Up");
    Long gen = drpc.getMetadata().getGeneration();
    condition("drpc", drpc.getStatus().getConditions(), gen, "Available", "True", "FailedOver");
    condition("drpc", drpc.getStatus().getConditions(), gen, "PeerReady", "False", "Cleaning");
    assertThat(hub.decision("app")).isEqualTo(WEST);
    VolumeReplicationGroup west = hub.deliveredVrg(WEST, "app");
    assertThat(west.getSpec().getReplicationState().getValue()).isEqualTo("primary");
    assertThat(west.getSpec().getAction().getValue()).isEqualTo("Failover");
    assertThat(state(EAST)).as("the failed cluster's work is demoted on the hub").isEqualTo("secondary");
    assertThat(hub.history("app"))
        .containsSubsequence(
            new Seen("FailingOver", "CheckingFailoverPrequisites"),
            new Seen("FailingOver", "FailingOverToCluster"),
            new Seen("FailingOver", "WaitingForResourceRestore"),
            new Seen("FailingOver", "UpdatedPlacement"),
            new Seen("FailedOver", "Cleaning Up"));
    assertThat(hub.history("app")).doesNotContain(new Seen("FailingOver", "WaitForFencing"));
    // the DRPC now reports the VRG on west
    assertThat(drpc.getStatus().getLastGroupSyncTime()).isEqualTo(hub.player.of(WEST).lastGroupSyncTime);
    holds("DRPC stays at Cleaning Up while east is unreachable", Duration.ofSeconds(1),
        () -> hub.drpc("app").getStatus().getProgression(), p -> assertThat(p).isEqualTo("Cleaning Up"));
    // a restart while waiting for the failed cluster changes nothing
    hub.stopControllers();
    hub.startControllers();
    holds("DRPC stays at Cleaning Up after a restart while east is unreachable", Duration.ofSeconds(1),
        () -> hub.drpc("app").getStatus().getProgression(), p -> assertThat(p).isEqualTo("Cleaning Up"));
    assertThat(hub.primariesNow("app")).isEqualTo(1);

    hub.setReachable(EAST, true);
    drpc = hub.waitFor("app", "FailedOver", "Completed");
    condition("drpc", drpc.getStatus().getConditions(), gen, "PeerReady", "True", "Success");
    condition("drpc", drpc.getStatus().getConditions(), gen, "Protected", "True", "Protected");
    assertThat(drpc.getStatus().getActionDuration()).isNotNull();
    assertThat(hub.mostPrimaries("app")).isEqualTo(1);
    assertThat(hub.primariesNow("app")).isEqualTo(1);
  }

  @Test
  void metroFailoverWaitsForTheSourceToBeFenced() {
    deployed("");
    assertThat(hub.deliveredVrg(EAST, "app").getSpec().getSync()).isNotNull();
    assertThat(hub.deliveredVrg(EAST, "app").getSpec().getAsync()).isNull();
    failover();
    hub.waitFor("app", "FailingOver", "WaitForFencing");
    holds("no promotion of west before east is fenced", Duration.ofSeconds(1),
        () -> state(WEST) + " " + hub.drpc("app").getStatus().getProgression(),
        s -> assertThat(s).isEqualTo("secondary WaitForFencing"));

    hub.client.resources(DRCluster.class).withName(EAST)
        .edit(c -> {
          c.getSpec().setClusterFence(ClusterFence.MANUALLYFENCED);
          return c;
        });
    hub.waitFor("app", "FailedOver", "Completed");
    assertThat(state(WEST)).isEqualTo("primary");
    assertThat(hub.mostPrimaries("app")).isEqualTo(1);
  }

  @Test
  void failoverStaysWaitingWhileTheTargetNeverBecomesReady() {
    deployed("5m");
    hub.player.of(WEST).primaryReady = false;
    failover();
    hub.waitFor("app", "FailingOver", "WaitingForResourceRestore");
    holds("failover held at WaitingForResourceRestore, placed on east, while west is not ready",
        Duration.ofMillis(1500),
        () -> hub.drpc("app").getStatus().getPhase() + "/" + hub.drpc("app").getStatus().getProgression()
            + " on " + hub.decision("app"),
        s -> assertThat(s).isEqualTo("FailingOver/WaitingForResourceRestore on " + EAST));
    DRPlacementControl drpc = hub.drpc("app");
    condition("drpc", drpc.getStatus().getConditions(), drpc.getMetadata().getGeneration(),
        "Available", "False", "FailingOver");
    assertThat(hub.decision("app")).as("the placement stays until the target is ready").isEqualTo(EAST);

    hub.player.of(WEST).primaryReady = true;
    hub.waitFor("app", "FailedOver", "Completed");
    assertThat(hub.decision("app")).isEqualTo(WEST);
  }

  @Test
  void relocateDemotesEverywhereBeforePromotingTheTarget() {
    deployed("5m");
    failover();
    hub.waitFor("app", "FailedOver", "Completed");
    int from = hub.workEvents("app").size();

    relocate(EAST);
    DRPlacementControl drpc = hub.waitFor("app", "Relocated", "Completed");
    Long gen = drpc.getMetadata().getGeneration();
    condition("drpc", drpc.getStatus().getConditions(), gen, "Available", "True", "Relocated");
    condition("drpc", drpc.getStatus().getConditions(), gen, "PeerReady", "True", "Success");
    assertThat(hub.decision("app")).isEqualTo(EAST);
    assertThat(state(EAST)).isEqualTo("primary");
    assertThat(state(WEST)).isEqualTo("secondary");
    assertThat(hub.deliveredVrg(EAST, "app").getSpec().getAction().getValue()).isEqualTo("Relocate");

    List<Seen> history = hub.history("app");
    assertThat(history)
        .containsSubsequence(
            new Seen("Relocating", "PreparingFinalSync"),
            new Seen("Relocating", "ClearingPlacement"),
            new Seen("Relocating", "RunningFinalSync"),
            new Seen("Relocating", "FinalSyncComplete"),
            new Seen("Relocating", "EnsuringVolumesAreSecondary"),
            new Seen("Relocating", "WaitingForResourceRestore"),
            new Seen("Relocating", "UpdatedPlacement"),
            new Seen("Relocated", "Completed"));

    // the works' history: final sync on west, then west secondary, only then east primary
    List<WorkEvent> events = hub.workEvents("app").subList(from, hub.workEvents("app").size());
    int prepared = indexOf(events, e -> e.cluster().equals(WEST) && e.prepare() && !e.run());
    int ran = indexOf(events, e -> e.cluster().equals(WEST) && e.run());
    int westSecondary = indexOf(events, e -> e.cluster().equals(WEST) && "secondary".equals(e.state()));
    int eastPrimary = indexOf(events, e -> e.cluster().equals(EAST) && "primary".equals(e.state()));
    assertThat(List.of(prepared, ran, westSecondary, eastPrimary)).as("events %s", events)
        .doesNotContain(-1).isSorted();
    assertThat(hub.mostPrimaries("app")).isEqualTo(1);
  }

  @Test
  void aVrgAnswerBehindItsNewSpecNeverSendsTheRelocateBack() {
    deployed("5m");
    failover();
    hub.waitFor("app", "FailedOver", "Completed");
    // west's VRG catches up with each spec the hub delivers 0.8 s late, and its view answers
    // meanwhile with the new generation and the old status (observedGeneration behind)
    hub.player.of(WEST).delayMillis = 800;
    int from = hub.history("app").size();

    relocate(EAST);
    hub.waitFor("app", "Relocated", "Completed");

    List<Seen> relocation = hub.history("app").subList(from, hub.history("app").size());
    List<Seen> order =
        List.of(
            new Seen("Relocating", "PreparingFinalSync"),
            new Seen("Relocating", "ClearingPlacement"),
            new Seen("Relocating", "RunningFinalSync"),
            new Seen("Relocating", "FinalSyncComplete"),
            new Seen("Relocating", "EnsuringVolumesAreSecondary"),
            new Seen("Relocating", "WaitingForResourceRestore"),
            new Seen("Relocating", "UpdatedPlacement"),
            new Seen("Relocated", "Cleaning Up"),
            new Seen("Relocated", "Completed"));
    assertThat(relocation).as("every status the relocation wrote").isSubsetOf(order);
    assertThat(relocation.stream().map(order::indexOf).toList())
        .as("the relocation's statuses in the order written: %s", relocation)
        .isSorted();
    assertThat(relocation).contains(new Seen("Relocating", "RunningFinalSync"));
  }

  private static int indexOf(List<WorkEvent> events, java.util.function.Predicate<WorkEvent> p) {
    for (int i = 0; i < events.size(); i++) {
      if (p.test(events.get(i))) {
        return i;
      }
    }
    return -1;
  }

  @Test
  void relocateIsRefusedWhileThePeerIsDownOrNotDataProtected() {
    deployed("5m");
    // west's VRG stops being DataProtected while west is still answering, then west goes away
    hub.player.of(WEST).secondaryProtected = false;
    until("west's view reports DataProtected False", () -> hub.view(WEST, DrpcHub.vrgView("app")),
        v -> assertThat(hub.client.getKubernetesSerialization().asJson(v.getStatus().getResult()))
            .contains("\"Progressing\""));
    hub.setReachable(WEST, false);
    relocate(WEST);
    holds("relocate refused while west is down: Deployed/Completed, east primary, no final sync",
        Duration.ofMillis(1500),
        () -> hub.drpc("app").getStatus().getPhase() + "/" + hub.drpc("app").getStatus().getProgression()
            + " " + state(EAST) + " " + hub.deliveredVrg(EAST, "app").getSpec().getPrepareForFinalSync(),
        s -> assertThat(s).isEqualTo("Deployed/Completed primary null"));
    DRPlacementControl drpc = hub.drpc("app");
    assertThat(state(EAST)).isEqualTo("primary");
    assertThat(hub.deliveredVrg(EAST, "app").getSpec().getPrepareForFinalSync()).isNull();
    assertThat(hub.decision("app")).isEqualTo(EAST);

    hub.setReachable(WEST, true);
    holds("relocate refused while west is not DataProtected: Deployed, no final sync", Duration.ofMillis(1500),
        () -> hub.drpc("app").getStatus().getPhase() + " "
            + hub.deliveredVrg(EAST, "app").getSpec().getPrepareForFinalSync(),
        s -> assertThat(s).isEqualTo("Deployed null"));
    drpc = hub.drpc("app");
    assertThat(hub.deliveredVrg(EAST, "app").getSpec().getPrepareForFinalSync()).isNull();
    assertThat(state(WEST)).isEqualTo("secondary");

    hub.player.of(WEST).secondaryProtected = true;
    hub.waitFor("app", "Relocated", "Completed");
    assertThat(state(WEST)).isEqualTo("primary");
    assertThat(state(EAST)).isEqualTo("secondary");
    assertThat(hub.mostPrimaries("app")).isEqualTo(1);
  }

  @Test
  void deletionRemovesWorksAndViewsSecondaryFirstAndKeepsTheData() throws Exception {
    deployed("5m");
    for (String c : List.of(EAST, WEST)) {
      assertThat(hub.work(c, DrpcHub.nsWork("app")).getSpec().getDeleteOption().getPropagationPolicy())
          .as("the namespace work on %s orphans the namespace when it goes", c)
          .isEqualTo(DeleteOption.PropagationPolicy.ORPHAN);
    }
    hub.client.resource(hub.drpc("app")).delete();
    until("DRPC gone", () -> hub.drpc("app"), d -> assertThat(d).isNull());
    for (String c : List.of(EAST, WEST)) {
      assertThat(hub.work(c, DrpcHub.vrgWork("app"))).as("VRG work on %s", c).isNull();
      assertThat(hub.view(c, DrpcHub.vrgView("app"))).as("VRG view on %s", c).isNull();
      assertThat(hub.work(c, DrpcHub.nsWork("app")))
          .as("namespace work on %s deleted (orphaning), as Ramen's DeleteNamespaceManifestWork", c)
          .isNull();
    }
    assertThat(hub.decision("app")).as("the decision is left as Ramen leaves it").isEqualTo(EAST);
    assertThat(hub.history("app")).contains(new Seen("Deleting", "Deleting"));
    List<WorkEvent> deletes =
        hub.workEvents("app").stream().filter(e -> e.state() == null).toList();
    assertThat(deletes).extracting(WorkEvent::cluster).containsExactly(WEST, EAST);
    // no PVC was ever delivered or deleted by the hub: works carry only the Namespace and the VRG
    var request = hub.server.takeRequest(1, TimeUnit.MILLISECONDS);
    while (request != null) {
      assertThat(request.getMethod() + " " + request.getPath())
          .doesNotContain("persistentvolumeclaims");
      request = hub.server.takeRequest(1, TimeUnit.MILLISECONDS);
    }
  }
}
