package dev.replcert.orchestrator.hub;

import static dev.replcert.orchestrator.hub.DrClusterTest.condition;
import static dev.replcert.orchestrator.hub.HubCluster.EAST;
import static dev.replcert.orchestrator.hub.HubCluster.FENCE_CLASS;
import static dev.replcert.orchestrator.hub.HubCluster.WEST;
import static dev.replcert.orchestrator.testing.MockApi.until;
import static org.assertj.core.api.Assertions.assertThat;

import io.open_cluster_management.work.v1.ManifestWork;
import io.openshift.csiaddons.v1alpha1.NetworkFence;
import io.openshift.csiaddons.v1alpha1.NetworkFenceSpec.FenceState;
import io.openshift.csiaddons.v1alpha1.NetworkFenceStatus.Result;
import io.openshift.ramendr.v1alpha1.DRCluster;
import io.openshift.ramendr.v1alpha1.DRClusterSpec.ClusterFence;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * East is fenced from west, its Metro peer: the NetworkFence goes to west's namespace by
 * ManifestWork and is read back by ManagedClusterView, whose answers the tests write.
 */
class FencingTest {

  static final String WORK = "east-" + FENCE_CLASS + "-west-nf-mw";
  static final String FENCE = "network-fence-" + FENCE_CLASS + "-east";
  static final String VIEW = FENCE + "--nf-mcv";

  private HubCluster hub;

  @BeforeEach
  void start() {
    hub = new HubCluster();
    hub.createCluster(EAST, "metro", List.of("10.1.0.0/16", "10.9.0.0/24"));
    hub.createCluster(WEST, "metro", List.of("10.2.0.0/16"));
    hub.createPolicy("metro", "", List.of(EAST, WEST));
  }

  @AfterEach
  void stop() {
    hub.close();
  }

  private NetworkFence delivered() {
    ManifestWork work = hub.work(WEST, WORK);
    assertThat(work).as("work %s/%s", WEST, WORK).isNotNull();
    return hub.client
        .getKubernetesSerialization()
        .convertValue(work.getSpec().getWorkload().getManifests().get(0), NetworkFence.class);
  }

  private void phase(String phase) {
    until(
        "phase " + phase,
        () -> hub.cluster(EAST),
        c -> {
          assertThat(c.getStatus()).as("status").isNotNull();
          assertThat(c.getStatus().getPhase())
              .as("conditions %s", c.getStatus().getConditions())
              .isEqualTo(phase);
        });
  }

  private void fence() {
    hub.editCluster(EAST, s -> s.setClusterFence(ClusterFence.FENCED));
    until("fence delivered", this::delivered, nf -> {
      assertThat(nf.getSpec().getFenceState()).isEqualTo(FenceState.FENCED);
    });
    phase("Fencing");
    until("view made", () -> hub.view(WEST, VIEW), v -> assertThat(v).isNotNull());
  }

  @Test
  void theFenceTheWorkDeliversTargetsTheClustersCidrsWithThePeersClass() {
    fence();

    NetworkFence nf = delivered();
    assertThat(nf.getApiVersion()).isEqualTo("csiaddons.openshift.io/v1alpha1");
    assertThat(nf.getKind()).isEqualTo("NetworkFence");
    assertThat(nf.getMetadata().getName()).isEqualTo(FENCE);
    assertThat(nf.getSpec().getCidrs()).containsExactly("10.1.0.0/16", "10.9.0.0/24");
    assertThat(nf.getSpec().getNetworkFenceClassName()).isEqualTo(FENCE_CLASS);
    assertThat(hub.work(EAST, WORK)).as("nothing in the fenced cluster's namespace").isNull();
    var scope = hub.view(WEST, VIEW).getSpec().getScope();
    assertThat(List.of(scope.getApiGroup(), scope.getVersion(), scope.getKind(), scope.getName()))
        .containsExactly("csiaddons.openshift.io", "v1alpha1", "NetworkFence", FENCE);
    DRCluster east = hub.cluster(EAST);
    condition(east, "Fenced", "False", "Fencing");
    condition(east, "Clean", "True", "Fencing");
  }

  @Test
  void aSucceededFenceOnThePeerFencesTheCluster() {
    fence();
    hub.reportFence(WEST, VIEW, delivered(), Result.SUCCEEDED);

    phase("Fenced");
    DRCluster east = hub.cluster(EAST);
    condition(east, "Fenced", "True", "Fenced");
    condition(east, "Clean", "False", "Fenced");
    condition(east, "Validated", "True", "Succeeded");
  }

  @Test
  void aFailedFenceIsAFenceError() {
    fence();
    hub.reportFence(WEST, VIEW, delivered(), Result.FAILED);

    DRCluster east =
        until("fence error", () -> hub.cluster(EAST),
            c -> condition(c, "Fenced", "False", "FenceError"));
    assertThat(east.getStatus().getPhase()).isEqualTo("Fencing");
  }

  @Test
  void unfencingSwitchesTheFenceThenCleansUp() {
    fence();
    hub.reportFence(WEST, VIEW, delivered(), Result.SUCCEEDED);
    phase("Fenced");

    hub.editCluster(EAST, s -> s.setClusterFence(ClusterFence.UNFENCED));
    until("unfence delivered", this::delivered,
        nf -> assertThat(nf.getSpec().getFenceState()).isEqualTo(FenceState.UNFENCED));
    phase("Unfencing");
    condition(hub.cluster(EAST), "Fenced", "True", "Unfencing");

    hub.reportFence(WEST, VIEW, delivered(), Result.SUCCEEDED);
    until("work deleted", () -> hub.work(WEST, WORK), w -> assertThat(w).isNull());
    DRCluster cleaning = hub.cluster(EAST);
    assertThat(cleaning.getStatus().getPhase()).isEqualTo("Unfenced");

    hub.reportFenceGone(WEST, VIEW, FENCE);
    DRCluster east =
        until("clean", () -> hub.cluster(EAST), c -> condition(c, "Clean", "True", "Clean"));
    condition(east, "Fenced", "False", "Clean");
    assertThat(east.getStatus().getPhase()).isEqualTo("Unfenced");
    until("view deleted", () -> hub.view(WEST, VIEW), v -> assertThat(v).isNull());
  }

  @Test
  void aRestartWhileFencingAndWhileUnfencingConverges() {
    fence();
    hub.stopControllers();
    hub.reportFence(WEST, VIEW, delivered(), Result.SUCCEEDED);
    hub.startControllers();
    phase("Fenced");

    hub.editCluster(EAST, s -> s.setClusterFence(ClusterFence.UNFENCED));
    until("unfence delivered", this::delivered,
        nf -> assertThat(nf.getSpec().getFenceState()).isEqualTo(FenceState.UNFENCED));
    hub.stopControllers();
    hub.reportFence(WEST, VIEW, delivered(), Result.SUCCEEDED);
    hub.startControllers();
    until("work deleted", () -> hub.work(WEST, WORK), w -> assertThat(w).isNull());
    hub.stopControllers();
    hub.reportFenceGone(WEST, VIEW, FENCE);
    hub.startControllers();

    until("clean", () -> hub.cluster(EAST), c -> condition(c, "Clean", "True", "Clean"));
    phase("Unfenced");
  }

  @Test
  void deletingAFencedClusterRemovesItsWorkAndView() {
    fence();
    hub.reportFence(WEST, VIEW, delivered(), Result.SUCCEEDED);
    phase("Fenced");

    hub.client.resource(hub.cluster(EAST)).delete();
    until("work deleted", () -> hub.work(WEST, WORK), w -> assertThat(w).isNull());
    assertThat(hub.cluster(EAST)).as("kept until the fence is gone").isNotNull();
    hub.reportFenceGone(WEST, VIEW, FENCE);

    until("DRCluster gone", () -> hub.cluster(EAST), c -> assertThat(c).isNull());
    assertThat(hub.view(WEST, VIEW)).isNull();
  }
}
