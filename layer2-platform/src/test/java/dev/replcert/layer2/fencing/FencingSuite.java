package dev.replcert.layer2.fencing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.replcert.api.k8s.CsiAddons;
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
import dev.replcert.harness.workload.Verification;
import dev.replcert.harness.workload.WriterHandle;
import dev.replcert.harness.workload.WriterReport;
import dev.replcert.layer2.fixture.DrFixture;
import dev.replcert.layer2.fixture.FailoverScenario;
import dev.replcert.layer2.splitbrain.StaleAfterFailover;
import io.fabric8.kubernetes.api.model.Condition;
import io.open_cluster_management.work.v1.ManifestWork;
import io.openshift.csiaddons.v1alpha1.NetworkFence;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * Ramen's cluster fencing end to end: {@code clusterFence: Fenced} on east's DRCluster becomes a
 * NetworkFence of east's CIDRs on west (delivered by ManifestWork), the driver fences them, and
 * east's clients can no longer write; {@code Unfenced} undoes it and east writes again.
 */
@Certification
class FencingSuite {

  private DrFixture dr;
  private Environment environment;

  @BeforeEach
  void setUp(TestInfo test, Environment environment, CertificationConfig config, ResourceTracker tracker,
      Evidence evidence) {
    this.dr = new DrFixture(DrFixture.plan(test), environment, config, tracker, evidence);
    this.environment = environment;
  }

  @Test
  @PlanItem("L2-FENCE-001")
  @RequiresCapability({Capability.REPLICATION, Capability.NETWORK_FENCE, Capability.PEER_FENCE})
  void fencingEastsDrClusterFencesItsCidrsFromWestAndEastCannotWrite() {
    FailoverScenario scenario = FailoverScenario.protectedOnEast(dr, environment, 1);
    DrClusterFence fence = new DrClusterFence(dr, dr.east());
    Map<String, WriterHandle> writers = writers(scenario);

    Instant set = fence.set(Ramen.ClusterFence.FENCED);
    awaitFenced(fence, set);
    assertFenceDelivered(fence);

    WriterCutOff cutOff = new WriterCutOff(dr);
    for (Map.Entry<String, WriterHandle> w : writers.entrySet()) {
      WriterReport cut = cutOff.await(w.getValue());
      dr.evidence().attach("writer " + w.getKey() + " on the fenced east", cut.toString());
    }
  }

  @Test
  @PlanItem("L2-FENCE-002")
  @RequiresCapability({Capability.REPLICATION, Capability.NETWORK_FENCE, Capability.PEER_FENCE,
      Capability.FORCE_PROMOTE})
  void aFencedEastNeverBecomesWritableAgainWhileFenced() {
    FailoverScenario scenario = FailoverScenario.protectedOnEast(dr, environment, 1);
    DrClusterFence fence = new DrClusterFence(dr, dr.east());
    new StaleAfterFailover(dr, environment, scenario).run(() -> {
      awaitFenced(fence, fence.set(Ramen.ClusterFence.FENCED));
      assertFenceDelivered(fence);
    });
    assertThat(Ramen.DrClusterPhase.FENCED.wire().equals(fence.phase())
        && DrClusterFence.isCondition(fence.condition(Ramen.DrClusterCondition.FENCED), "True"))
        .as("east stays fenced through the failover and its return: %s", fence.describe())
        .isTrue();
  }

  @Test
  @PlanItem("L2-FENCE-003")
  @RequiresCapability({Capability.REPLICATION, Capability.NETWORK_FENCE})
  void unfencingEastsDrClusterRestoresItsWritersAndProtection() {
    FailoverScenario scenario = FailoverScenario.protectedOnEast(dr, environment, 1);
    DrClusterFence fence = new DrClusterFence(dr, dr.east());
    awaitFenced(fence, fence.set(Ramen.ClusterFence.FENCED));

    try (FenceHistory history = new FenceHistory(dr.west().client(), dr.east().name())) {
      Instant set = fence.set(Ramen.ClusterFence.UNFENCED);
      dr.waits().until("DRCluster east phase Unfenced with Clean=True and no fence work left", TimeoutOperation.UNFENCE,
          fence::describe, s -> Ramen.DrClusterPhase.UNFENCED.wire().equals(fence.phase())
              && DrClusterFence.isCondition(fence.condition(Ramen.DrClusterCondition.CLEAN), "True")
              && fence.work().isEmpty());
      dr.evidence().measure("unfence.seconds", Duration.between(set, Instant.now()).toMillis() / 1000.0, "s");
      dr.evidence().attach("NetworkFence versions on west", history.describe());
      assertThat(history.any(FenceHistory.reports(CsiAddons.FenceState.UNFENCED.wire(), "Succeeded")))
          .as("west's NetworkFence against east must have reported fenceState Unfenced with result Succeeded"
              + " before its ManifestWork went; seen:%n%s", history.describe())
          .isTrue();
    }

    // a writer the fence ended is restarted, as its controller would; one that kept writing goes on
    Map<String, WriterReport> atUnfence = new LinkedHashMap<>();
    for (String claim : scenario.app().protectedClaims()) {
      WriterReport report = scenario.app().writer(dr.east(), claim).progress();
      atUnfence.put(claim, report);
      if (report.stoppedBecause() != WriterReport.StopReason.RUNNING) {
        dr.east().client().pods().inNamespace(dr.namespace()).withName(scenario.app().writerPod(claim)).delete();
      }
    }
    scenario.app().awaitWriting(dr.east(), TimeoutOperation.POD_START);
    WriterCutOff writes = new WriterCutOff(dr);
    for (String claim : scenario.app().protectedClaims()) {
      writes.awaitWrites(scenario.app().writer(dr.east(), claim), atUnfence.get(claim).lastAcked(), 10);
    }
    scenario.drpc().awaitCondition(Ramen.DrpcCondition.PEER_READY, "True", null, TimeoutOperation.FENCE);
    scenario.drpc().awaitCondition(Ramen.DrpcCondition.PROTECTED, "True", null, TimeoutOperation.FENCE);

    Map<String, WriterReport> done = scenario.app().stopWriters(dr.east());
    for (String claim : scenario.app().protectedClaims()) {
      Verification onEast = scenario.app().verify(dr.east(), claim);
      WriterReport w = done.get(claim);
      assertThat(onEast.isPrefixOf(w) && onEast.lastContiguous() == w.lastAcked() && onEast.corruptCount() == 0)
          .as("%s on east after fence and unfence: one intact history through the last record written: %s", claim,
              onEast.describe(w))
          .isTrue();
    }
  }

  private Map<String, WriterHandle> writers(FailoverScenario scenario) {
    Map<String, WriterHandle> writers = new LinkedHashMap<>();
    scenario.app().protectedClaims().forEach(c -> writers.put(c, scenario.app().writer(dr.east(), c)));
    return writers;
  }

  /** Waits for the DRCluster Fenced (phase and condition) with its fence work present; records how long. */
  private void awaitFenced(DrClusterFence fence, Instant set) {
    dr.waits().until("DRCluster " + fence.fenced().name() + " phase Fenced with Fenced=True", TimeoutOperation.FENCE,
        fence::describe, s -> Ramen.DrClusterPhase.FENCED.wire().equals(fence.phase())
            && DrClusterFence.isCondition(fence.condition(Ramen.DrClusterCondition.FENCED), "True")
            && fence.work().isPresent());
    dr.evidence().measure("fence.seconds", Duration.between(set, Instant.now()).toMillis() / 1000.0, "s");
    dr.evidence().attach("fenced", fence.describe());
  }

  /**
   * The work in the peer's hub namespace carries NetworkFence {@code network-fence-[<class>-]east}
   * Fenced with east's CIDRs, and the peer's NetworkFence reports it Succeeded.
   */
  private void assertFenceDelivered(DrClusterFence fence) {
    String east = fence.fenced().name();
    ManifestWork work = fence.work().orElseThrow();
    assertThat(work.getMetadata().getNamespace()).as("namespace of the fence work: %s", fence.describe())
        .isEqualTo(fence.peer().name());
    Optional<NetworkFence> delivered = fence.delivered(work);
    assertThat(delivered).as("the fence work must carry a NetworkFence: %s", fence.describe()).isPresent();
    NetworkFence nf = delivered.get();
    String nfClass = nf.getSpec().getNetworkFenceClassName();
    String expected = "network-fence-" + (nfClass == null || nfClass.isEmpty() ? "" : nfClass + "-") + east;
    assertThat(nf.getMetadata().getName()).as("NetworkFence name (class %s): %s", nfClass, fence.describe())
        .isEqualTo(expected);
    assertThat(DrClusterFence.fenceState(nf)).as("delivered fenceState: %s", fence.describe())
        .isEqualTo(CsiAddons.FenceState.FENCED.wire());
    // east's CIDRs as its DRCluster lists them (from its Nodes; read from the hub: east may be down)
    HashSet<String> cidrs = new HashSet<>(fence.cluster().getSpec().getCidrs());
    assertThat(cidrs).as("east's DRCluster CIDRs").isNotEmpty();
    assertThat(new HashSet<>(DrClusterFence.cidrs(nf))).as("delivered CIDRs = east's: %s", fence.describe())
        .isEqualTo(cidrs);
    NetworkFence applied = dr.waits().until("NetworkFence " + expected + " on " + fence.peer().name()
            + " reports Fenced/Succeeded", TimeoutOperation.FENCE, () -> fence.onPeer(expected),
        x -> DrClusterFence.succeeded(x, CsiAddons.FenceState.FENCED));
    assertThat(new HashSet<>(DrClusterFence.cidrs(applied))).as("CIDRs fenced on %s: %s", fence.peer().name(),
        FenceHistory.line(applied)).isEqualTo(cidrs);
    Condition fenced = fence.condition(Ramen.DrClusterCondition.FENCED);
    assertThat(fenced.getStatus()).as("DRCluster Fenced condition: %s", fence.describe()).isEqualTo("True");
  }
}
