package dev.replcert.lab;

import static dev.replcert.lab.LabOrchestratorTest.NS;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.replcert.harness.spi.Environment;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.open_cluster_management.work.v1.ManifestWork;
import io.openshift.ramendr.v1alpha1.DRPlacementControl;
import io.openshift.ramendr.v1alpha1.DRPlacementControlSpec.Action;
import io.openshift.ramendr.v1alpha1.VolumeReplicationGroup;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The bundled orchestrator's scale benchmark (issue 6, "Scale"). Runs only under {@code -Pbench}.
 *
 * <p>For each N of {@value #SIZES_PROPERTY} (default {@value #DEFAULT_SIZES}), in a fresh lab: N
 * labelled 1Mi block PVCs on east (no workload: data is not what this measures; created and bound
 * untimed), then, timed:
 *
 * <ol>
 *   <li>deploy: DRPolicy, Placement and a DRPC preferring east, until Deployed/Completed with
 *       Protected True;
 *   <li>relocate to west, until Relocated/Completed;
 *   <li>failover back to east with both sites up, until FailedOver/Completed.
 * </ol>
 *
 * The lab has no application delivery, so the test plays it: once the PlacementDecision no longer
 * names a site, the application's PVCs are deleted there (as the DRPC waits for them to be, before
 * the old primary's VRG can become Secondary); that deletion is inside the timed window.
 *
 * <p>"Reconcile count": the controllers expose no reconcile counter, so what is counted is the
 * writes the reconciles make to the objects they own, seen by watches: every ADDED/MODIFIED event of
 * the DRPC and the ManifestWorks on the hub and of the VRGs on east and west. A reconcile that
 * finds nothing to change writes nothing and is not counted. Each step also records when the DRPC
 * first showed each phase/progression, which says where a step's time goes.
 *
 * <p>Writes {@code orchestrator-scale.json} under {@code replcert.bench.dir} with each size's times
 * and ratios t(N)/t({@value #BASE}); fails only if t(500)/t(50) of the whole cycle exceeds {@value
 * #MAX_RATIO_500_OVER_50} when both were measured (linear cost would be 10).
 */
@EnabledIfSystemProperty(named = "replcert.bench", matches = "true")
class OrchestratorScaleBench {

  static final String SIZES_PROPERTY = "replcert.bench.orchestrator.sizes";
  static final String DEFAULT_SIZES = "10,50,100,500";
  static final int BASE = 50;
  static final double MAX_RATIO_500_OVER_50 = 12;
  static final String STEP_TIMEOUT_PROPERTY = "replcert.bench.orchestrator.stepTimeout";
  /** Generous by default (the machine is shared); a timeout dumps the DRPC status. */
  private final Duration stepTimeout = Duration.parse(System.getProperty(STEP_TIMEOUT_PROPERTY, "PT20M"));
  /** How long a site's leftover PVCs may take to go after the DRPC reported the action Completed. */
  private static final Duration GONE_TIMEOUT = Duration.ofMinutes(2);

  private static final String[] STEPS = {"deploy", "relocate", "failover"};

  /** One step's measurements. */
  record StepResult(double seconds, double secondsPerPvc, long writes, double writesPerPvc, Map<String, Long> writesByKind,
      Map<String, Double> progressionsAtSeconds) {}

  /** One size's measurements. */
  record SizeResult(int pvcs, double bindSecondsUntimed, Map<String, StepResult> steps, double totalSeconds,
      double totalSecondsPerPvc, long totalWrites, double totalWritesPerPvc, String failure) {

    boolean complete() {
      return failure == null;
    }
  }

  @Test
  void deployRelocateAndFailoverOfOneApplicationScaleLinearlyWithItsPvcs() throws Exception {
    List<Integer> sizes = Arrays.stream(System.getProperty(SIZES_PROPERTY, DEFAULT_SIZES).split(","))
        .map(String::trim).filter(s -> !s.isEmpty()).map(Integer::parseInt).toList();
    Map<Integer, SizeResult> results = new LinkedHashMap<>();
    for (int n : sizes) {
      SizeResult r = cycle(n);
      // a size that failed keeps the steps it finished; the others are still measured
      results.put(n, r);
      System.out.printf("OrchestratorScaleBench N=%d: %s%n", n, r);
    }

    Map<String, Object> json = new LinkedHashMap<>();
    json.put("benchmark", "replcert bundled orchestrator: deploy, relocate, failover of one application (issue 6)");
    json.put("timestamp", Instant.now().toString());
    json.put("machine", Map.of("cores", Runtime.getRuntime().availableProcessors(),
        "javaVersion", System.getProperty("java.version"), "maxHeapBytes", Runtime.getRuntime().maxMemory()));
    json.put("setup", Map.of(
        "sizes", sizes,
        "lab", "a fresh lab per size (hub, east, west mock API servers, reference driver, csi-addons, S3)",
        "pvc", "1Mi Block RWO, refdriver StorageClass, no workload; created and bound before timing",
        "timing", "wall clock from the DRPC write (create / action edit) to the phase with progression Completed"
            + " (deploy also Protected True), polled every 100 ms; includes the test's deletion of the"
            + " application's PVCs on the site the PlacementDecision left",
        "writes", "ADDED/MODIFIED watch events of the DRPC and ManifestWorks (hub) and VRGs (east, west): the"
            + " writes reconciles made; reconciles that change nothing are not counted"));
    json.put("results", results.values());
    Map<String, Object> ratios = new LinkedHashMap<>();
    SizeResult base = results.containsKey(BASE) && results.get(BASE).complete() ? results.get(BASE) : null;
    if (base != null) {
      for (SizeResult r : results.values().stream().filter(SizeResult::complete).toList()) {
        Map<String, Double> byStep = new LinkedHashMap<>();
        for (String step : STEPS) {
          byStep.put(step, r.steps.get(step).seconds / base.steps.get(step).seconds);
        }
        byStep.put("total", r.totalSeconds / base.totalSeconds);
        byStep.put("linear", (double) r.pvcs / BASE);
        ratios.put("t(" + r.pvcs + ")/t(" + BASE + ")", byStep);
      }
    }
    json.put("ratios", ratios);
    SizeResult big = results.containsKey(500) && results.get(500).complete() ? results.get(500) : null;
    Double ratio = base != null && big != null ? big.totalSeconds / base.totalSeconds : null;
    json.put("target", Map.of("comparison", "t(500)/t(50) <= " + MAX_RATIO_500_OVER_50,
        "value", ratio == null ? "not measured" : ratio,
        "met", ratio == null ? "not measured" : ratio <= MAX_RATIO_500_OVER_50));

    Path dir = Path.of(System.getProperty("replcert.bench.dir", "target/bench"));
    Files.createDirectories(dir);
    Path out = dir.resolve("orchestrator-scale.json");
    new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(out.toFile(), json);
    System.out.printf("%nOrchestratorScaleBench: %s%nratios %s%nJSON: %s%n%n", table(results.values()), ratios,
        out.toAbsolutePath());

    assertThat(results.values().stream().filter(r -> !r.complete()).map(r -> "N=" + r.pvcs + ": " + r.failure))
        .as("sizes whose cycle failed (figures of their finished steps are in %s)", out).isEmpty();
    if (ratio != null) {
      assertThat(ratio)
          .as("t(500)/t(50) of deploy+relocate+failover: %.1f s / %.1f s (%s)", big.totalSeconds, base.totalSeconds,
              table(results.values()))
          .isLessThanOrEqualTo(MAX_RATIO_500_OVER_50);
    }
  }

  private static String table(java.util.Collection<SizeResult> results) {
    StringBuilder s = new StringBuilder("\n  N    deploy s  relocate s  failover s  total s  s/PVC   writes/PVC");
    for (SizeResult r : results) {
      s.append(String.format("%n  %-4d %8.1f %11.1f %11.1f %8.1f %6.3f %9.1f%s", r.pvcs, seconds(r, "deploy"),
          seconds(r, "relocate"), seconds(r, "failover"), r.totalSeconds, r.totalSecondsPerPvc, r.totalWritesPerPvc,
          r.complete() ? "" : "  FAILED"));
    }
    return s.toString();
  }

  private static double seconds(SizeResult r, String step) {
    return r.steps.containsKey(step) ? r.steps.get(step).seconds : Double.NaN;
  }

  /** A fresh lab with {@code n} PVCs: deploy on east, relocate to west, fail over to east. */
  private SizeResult cycle(int n) {
    try (Environment lab = LabEnvironmentTest.start(Map.of())) {
      LabOrchestratorTest.Lab l = new LabOrchestratorTest.Lab(lab);
      KubernetesClient west = lab.client(KubernetesClient.class, Optional.of("west")).orElseThrow();
      l.classes();
      long bindStart = System.nanoTime();
      for (int i = 0; i < n; i++) {
        l.claim(String.format("data-%03d", i));
      }
      check("all " + n + " PVCs on east Bound", () -> boundCount(l.east) == n, () -> boundCount(l.east) + " Bound");
      double bind = (System.nanoTime() - bindStart) / 1e9;

      Map<String, StepResult> steps = new LinkedHashMap<>();
      String failure = null;
      try (Writes writes = new Writes(l.hub, l.east, west)) {
        steps.put("deploy", step(n, writes, () -> {
          LabDrpcDefectTest.protect(l.hub);
          awaitDrpc(l.hub, "Deployed", true);
        }));
        steps.put("relocate", step(n, writes, () -> {
          LabDr.act(l.hub, Action.RELOCATE, "west");
          removeApplicationOnceUnplaced(l.hub, "east", l.east);
          awaitDrpc(l.hub, "Relocated", false);
        }));
        awaitGone("east", l.east, n);
        steps.put("failover", step(n, writes, () -> {
          LabDr.act(l.hub, Action.FAILOVER, "east");
          removeApplicationOnceUnplaced(l.hub, "west", west);
          awaitDrpc(l.hub, "FailedOver", false);
        }));
        awaitGone("west", west, n);
        check("east holds " + n + " Bound PVCs after the failover", () -> boundCount(l.east) == n,
            () -> boundCount(l.east) + " Bound");
      } catch (AssertionError e) {
        failure = e.getMessage();
        System.out.printf("OrchestratorScaleBench N=%d failed after %s: %s%n", n, steps.keySet(), failure);
      }
      double total = steps.values().stream().mapToDouble(StepResult::seconds).sum();
      long totalWrites = steps.values().stream().mapToLong(StepResult::writes).sum();
      return new SizeResult(n, bind, steps, total, total / n, totalWrites, (double) totalWrites / n, failure);
    }
  }

  private static StepResult step(int n, Writes writes, Runnable body) {
    Map<String, Long> before = writes.snapshot();
    int seen = writes.progressionCount();
    long start = System.nanoTime();
    body.run();
    double seconds = (System.nanoTime() - start) / 1e9;
    Map<String, Long> by = new LinkedHashMap<>();
    writes.snapshot().forEach((k, v) -> by.put(k, v - before.getOrDefault(k, 0L)));
    long sum = by.values().stream().mapToLong(Long::longValue).sum();
    return new StepResult(seconds, seconds / n, sum, (double) sum / n, by, writes.progressionsSince(seen, start));
  }

  /**
   * The application's delivery, which the lab does not have: once the DRPC's PlacementDecision no
   * longer names {@code site}, the application (here its PVCs) leaves it.
   */
  private void removeApplicationOnceUnplaced(KubernetesClient hub, String site, KubernetesClient cluster) {
    AtomicReference<String> seen = new AtomicReference<>();
    check("PlacementDecision no longer names " + site, () -> {
      List<String> clusters = LabDr.decisions(hub);
      seen.set(clusters + "; DRPC " + drpcStatus(hub));
      return !clusters.contains(site);
    }, seen::get);
    cluster.persistentVolumeClaims().inNamespace(NS).withLabel("app", "busybox").delete();
  }

  /**
   * Untimed, after an action Completed: the application's PVCs on the site it left are gone (the
   * old primary's VRG let them go before reporting Secondary), so the next action starts clean.
   */
  private void awaitGone(String site, KubernetesClient cluster, int n) {
    check("the application's " + n + " PVCs gone from " + site + " after the action Completed", GONE_TIMEOUT,
        () -> claims(cluster).isEmpty(),
        () -> claims(cluster).stream().map(p -> p.getMetadata().getName() + p.getMetadata().getFinalizers()).toList()
            .toString());
  }

  private static List<PersistentVolumeClaim> claims(KubernetesClient cluster) {
    return cluster.persistentVolumeClaims().inNamespace(NS).withLabel("app", "busybox").list().getItems();
  }

  /** Waits for {@code phase}/Completed (and Protected True when asked); a timeout dumps the DRPC status. */
  private void awaitDrpc(KubernetesClient hub, String phase, boolean protectedTrue) {
    check("DRPC " + phase + "/Completed" + (protectedTrue ? " with Protected True" : ""), () -> {
      DRPlacementControl d = LabDrpcDefectTest.drpc(hub);
      return d != null && d.getStatus() != null && phase.equals(d.getStatus().getPhase())
          && "Completed".equals(d.getStatus().getProgression())
          && (!protectedTrue || Objects.requireNonNullElse(d.getStatus().getConditions(), List.<io.fabric8.kubernetes.api.model.Condition>of())
              .stream().anyMatch(c -> "Protected".equals(c.getType()) && "True".equals(c.getStatus())));
    }, () -> drpcStatus(hub));
  }

  private static String drpcStatus(KubernetesClient hub) {
    DRPlacementControl d = LabDrpcDefectTest.drpc(hub);
    return d == null ? "no DRPC" : hub.getKubernetesSerialization().asJson(d.getStatus());
  }

  private static long boundCount(KubernetesClient cluster) {
    return claims(cluster).stream()
        .map(PersistentVolumeClaim::getStatus)
        .filter(s -> s != null && "Bound".equals(s.getPhase()))
        .count();
  }

  /** Waits until {@code check} holds; a timeout says what {@code seen} shows then. */
  private void check(String what, Callable<Boolean> check, java.util.function.Supplier<String> seen) {
    check(what, stepTimeout, check, seen);
  }

  private static void check(String what, Duration atMost, Callable<Boolean> check,
      java.util.function.Supplier<String> seen) {
    try {
      Awaitility.await(what).atMost(atMost).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(100))
          .until(check);
    } catch (ConditionTimeoutException e) {
      throw new AssertionError(what + "; last seen: " + seen.get(), e);
    }
  }

  /** Counts ADDED/MODIFIED events of the objects the controllers write, by kind and cluster. */
  private static final class Writes implements AutoCloseable {
    private final Map<String, AtomicLong> counts = new LinkedHashMap<>();
    private final List<Watch> watches = new ArrayList<>();

    /** Each phase/progression the DRPC showed, in order, with the System.nanoTime it was seen at. */
    private final List<Map.Entry<String, Long>> progressions = new ArrayList<>();

    Writes(KubernetesClient hub, KubernetesClient east, KubernetesClient west) {
      watches.add(hub.resources(DRPlacementControl.class).inAnyNamespace().watch(counter("hub/DRPlacementControl")));
      watches.add(hub.resources(DRPlacementControl.class).inAnyNamespace().watch(new Watcher<>() {
        @Override
        public void eventReceived(Watcher.Action action, DRPlacementControl d) {
          if (d.getStatus() == null) {
            return;
          }
          String now = d.getStatus().getPhase() + "/" + d.getStatus().getProgression();
          synchronized (progressions) {
            if (progressions.isEmpty() || !progressions.get(progressions.size() - 1).getKey().equals(now)) {
              progressions.add(Map.entry(now, System.nanoTime()));
            }
          }
        }

        @Override
        public void onClose(WatcherException cause) {}
      }));
      watches.add(hub.resources(ManifestWork.class).inAnyNamespace().watch(counter("hub/ManifestWork")));
      watches.add(east.resources(VolumeReplicationGroup.class).inAnyNamespace().watch(counter("east/VolumeReplicationGroup")));
      watches.add(west.resources(VolumeReplicationGroup.class).inAnyNamespace().watch(counter("west/VolumeReplicationGroup")));
    }

    private <T extends HasMetadata> Watcher<T> counter(String kind) {
      AtomicLong count = new AtomicLong();
      synchronized (counts) {
        counts.put(kind, count);
      }
      return new Watcher<>() {
        @Override
        public void eventReceived(Watcher.Action action, T resource) {
          if (action == Watcher.Action.ADDED || action == Watcher.Action.MODIFIED) {
            count.incrementAndGet();
          }
        }

        @Override
        public void onClose(WatcherException cause) {}
      };
    }

    int progressionCount() {
      synchronized (progressions) {
        return progressions.size();
      }
    }

    /** The progressions seen after the first {@code from}, each at its first sight in seconds since {@code start}. */
    Map<String, Double> progressionsSince(int from, long start) {
      Map<String, Double> out = new LinkedHashMap<>();
      synchronized (progressions) {
        for (Map.Entry<String, Long> p : progressions.subList(from, progressions.size())) {
          out.putIfAbsent(p.getKey(), Math.round((p.getValue() - start) / 1e7) / 100.0);
        }
      }
      return out;
    }

    Map<String, Long> snapshot() {
      Map<String, Long> out = new LinkedHashMap<>();
      synchronized (counts) {
        counts.forEach((k, v) -> out.put(k, v.get()));
      }
      return out;
    }

    @Override
    public void close() {
      watches.forEach(Watch::close);
    }
  }
}
