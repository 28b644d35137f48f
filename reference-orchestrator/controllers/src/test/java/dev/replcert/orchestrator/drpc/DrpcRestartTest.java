package dev.replcert.orchestrator.drpc;

import static dev.replcert.orchestrator.drpc.DrpcHub.EAST;
import static dev.replcert.orchestrator.drpc.DrpcHub.WEST;
import static dev.replcert.orchestrator.testing.MockApi.holds;
import static dev.replcert.orchestrator.testing.MockApi.until;
import static org.assertj.core.api.Assertions.assertThat;

import dev.replcert.orchestrator.drpc.DrpcHub.Seen;
import dev.replcert.orchestrator.hub.HubOptions;
import java.time.Duration;
import io.openshift.ramendr.v1alpha1.DRPlacementControlSpec;
import io.openshift.ramendr.v1alpha1.DRPlacementControlSpec.Action;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kills the hub controllers at every progression an action passes through and starts new ones:
 * each run (its own application, one hub) must reach the same end state as an undisturbed run,
 * with never more than one primary VRG work at a time.
 */
class DrpcRestartTest {

  private static final Logger LOG = LoggerFactory.getLogger(DrpcRestartTest.class);

  private DrpcHub hub;

  @BeforeEach
  void start() {
    // a longer retry keeps each written step on show long enough to be killed at
    hub = new DrpcHub("5m", new HubOptions(Duration.ofMillis(400), Duration.ofSeconds(3), null));
  }

  @AfterEach
  void stop() {
    hub.close();
  }

  private static final Consumer<DRPlacementControlSpec> FAILOVER =
      s -> {
        s.setAction(Action.FAILOVER);
        s.setFailoverCluster(WEST);
      };

  private static final Consumer<DRPlacementControlSpec> RELOCATE =
      s -> {
        s.setAction(Action.RELOCATE);
        s.setPreferredCluster(WEST);
      };

  @Test
  void failoverConvergesWhateverProgressionTheControllersDieAt() {
    everyProgression(FAILOVER, "FailedOver");
  }

  @Test
  void relocateConvergesWhateverProgressionTheControllersDieAt() {
    everyProgression(RELOCATE, "Relocated");
  }

  private void everyProgression(Consumer<DRPlacementControlSpec> action, String finalPhase) {
    List<String> progressions = run("ref", action, finalPhase, null);
    assertThat(progressions).as("an undisturbed run passes through several steps").hasSizeGreaterThan(3);
    List<String> stoppedAt = new ArrayList<>();
    int i = 0;
    for (String p : progressions) {
      if (p.equals("Completed")) {
        continue;
      }
      run("r" + i++, action, finalPhase, p);
      stoppedAt.add(p);
    }
    LOG.info("restarted at {}", stoppedAt);
  }

  /**
   * Deploys an application on east, applies the action, optionally restarts the controllers once
   * the DRPC reports {@code restartAt}, and checks the end state. Returns the progressions the
   * action went through.
   */
  private List<String> run(
      String ns, Consumer<DRPlacementControlSpec> action, String finalPhase, String restartAt) {
    hub.createApp(ns, EAST);
    hub.waitFor(ns, "Deployed", "Completed");
    int mark = hub.history(ns).size();
    hub.editDrpc(ns, action);
    if (restartAt != null) {
      until(
          ns + " reaches " + restartAt,
          () -> hub.history(ns).subList(mark, hub.history(ns).size()),
          h -> assertThat(h).extracting(Seen::progression).contains(restartAt));
      hub.stopControllers();
      List<Seen> h = hub.history(ns);
      LOG.info("{}: stopped at {} (asked {})", ns, h.get(h.size() - 1).progression(), restartAt);
      // down for a while, as a crashed operator is, while the managed clusters go on answering
      String version = hub.drpc(ns).getMetadata().getResourceVersion();
      holds(ns + ": nothing writes the DRPC while the controllers are down", Duration.ofMillis(300),
          () -> hub.drpc(ns).getMetadata().getResourceVersion(), v -> assertThat(v).isEqualTo(version));
      hub.startControllers();
    }
    hub.waitFor(ns, finalPhase, "Completed");
    assertThat(hub.decision(ns)).isEqualTo(WEST);
    assertThat(hub.deliveredVrg(WEST, ns).getSpec().getReplicationState().getValue())
        .isEqualTo("primary");
    assertThat(hub.deliveredVrg(EAST, ns).getSpec().getReplicationState().getValue())
        .isEqualTo("secondary");
    assertThat(hub.mostPrimaries(ns)).as("primary works at any time, %s", hub.workEvents(ns)).isEqualTo(1);
    assertThat(hub.primariesNow(ns)).isEqualTo(1);
    Set<String> seen = new LinkedHashSet<>();
    hub.history(ns).subList(mark, hub.history(ns).size()).forEach(s -> seen.add(s.progression()));
    return List.copyOf(seen);
  }
}
