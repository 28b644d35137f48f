package dev.replcert.layer2.orchestrator;

import dev.replcert.api.k8s.Ramen;
import dev.replcert.harness.config.TimeoutOperation;
import dev.replcert.harness.spi.OrchestratorControl;
import dev.replcert.layer2.fixture.DrActions;
import dev.replcert.layer2.fixture.DrFixture;
import dev.replcert.layer2.fixture.DrTimeline;
import dev.replcert.layer2.fixture.DrpcStatus;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Crashes the orchestrator each time the DRPC reports a progression of the running action it has
 * not reported before: {@code stop()} (every controller killed mid-reconcile) then {@code start()}
 * (fresh ones that must carry on from what the clusters hold). The progressions restarted at are
 * the test's evidence.
 */
final class Restarts {

  private final DrFixture dr;
  private final DrActions drpc;
  private final DrTimeline timeline;
  private final OrchestratorControl orchestrator;
  private final Set<String> seen = new LinkedHashSet<>();
  private final List<String> restartedAt = new ArrayList<>();

  Restarts(DrFixture dr, DrActions drpc, DrTimeline timeline, OrchestratorControl orchestrator) {
    this.dr = dr;
    this.drpc = drpc;
    this.timeline = timeline;
    this.orchestrator = orchestrator;
  }

  /** Waits for {@code done}, restarting the orchestrator at every new progression on the way. */
  DrpcStatus until(String what, TimeoutOperation limit, Predicate<DrpcStatus> done) {
    return dr.waits().until("DRPC " + dr.namespace() + "/" + drpc.name() + " " + what
        + " (orchestrator restarted at " + restartedAt + ")", limit, this::observe, done);
  }

  private DrpcStatus observe() {
    DrpcStatus status = drpc.observe();
    String progression = status.progression();
    if (status.current() && progression != null && !Ramen.Progression.COMPLETED.wire().equals(progression)
        && seen.add(progression)) {
      orchestrator.stop();
      timeline.mark("test", "orchestrator", "killed at " + progression);
      orchestrator.start();
      timeline.mark("test", "orchestrator", "started");
      restartedAt.add(progression);
    }
    return status;
  }

  /** The progressions the orchestrator was restarted at, in order. */
  List<String> restartedAt() {
    return List.copyOf(restartedAt);
  }
}
