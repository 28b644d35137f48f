package dev.replcert.lab;

import dev.replcert.harness.spi.OrchestratorControl;
import dev.replcert.orchestrator.HubControllers;
import dev.replcert.orchestrator.ManagedClusterControllers;
import dev.replcert.orchestrator.hub.HubOptions;
import dev.replcert.orchestrator.s3.S3Profiles;
import dev.replcert.orchestrator.vrg.VrgOptions;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bundled orchestrator in the lab: Ramen's hub controllers ({@link HubControllers}) on the hub
 * and its DR-cluster controllers ({@link ManagedClusterControllers}) on each managed cluster, with
 * the S3 profiles of {@link LabRamenConfig}.
 *
 * <p>Two things decide whether a managed cluster's controllers run: the orchestrator is started
 * ({@link OrchestratorControl}), and the site is up. The site's half comes from the lab's site
 * controllers ({@link #siteUp}), so a site disaster takes them down with the site and a bring-up
 * starts them afresh; {@link #stop()} kills everything at once and {@link #start()} starts fresh
 * instances for the hub and every site that is up. The hub is never down.
 */
final class LabOrchestrator implements OrchestratorControl, AutoCloseable {

  /**
   * Lab timings: an unsettled VRG or DRCluster is looked at again after 1 s, a settled one every
   * 2 s. Watches drive the controllers; the resync costs nothing while nothing is protected.
   */
  static final Duration RETRY = Duration.ofSeconds(1);

  static final Duration RESYNC = Duration.ofSeconds(2);

  private static final Logger LOG = LoggerFactory.getLogger(LabOrchestrator.class);

  private final KubernetesClient hub;
  private final Function<String, KubernetesClient> managed;
  private final Set<String> sitesUp = new LinkedHashSet<>();
  private final Map<String, ManagedClusterControllers> siteControllers = new LinkedHashMap<>();
  private Optional<HubControllers> hubControllers = Optional.empty();
  private boolean running;

  /** Stopped until {@link #start()}; sites report themselves with {@link #siteUp}. */
  LabOrchestrator(KubernetesClient hub, Function<String, KubernetesClient> managed) {
    this.hub = hub;
    this.managed = managed;
  }

  /**
   * The site's cluster answers: its controllers run whenever the orchestrator does, until the
   * returned handle is closed (the site goes down).
   */
  synchronized AutoCloseable siteUp(String site) {
    sitesUp.add(site);
    if (running) {
      startSite(site);
    }
    return new AutoCloseable() {
      @Override
      public void close() {
        siteDown(site);
      }

      @Override
      public String toString() {
        return "the orchestrator's controllers of site " + site;
      }
    };
  }

  private synchronized void siteDown(String site) {
    sitesUp.remove(site);
    ManagedClusterControllers controllers = siteControllers.remove(site);
    if (controllers != null) {
      controllers.close();
    }
  }

  @Override
  public synchronized void start() {
    if (running) {
      return;
    }
    running = true;
    try {
      hubControllers =
          Optional.of(
              HubControllers.start(
                  hub,
                  S3Profiles.fromRamenConfigMap(hub, LabRamenConfig.NAMESPACE, LabRamenConfig.HUB_CONFIG_MAP),
                  LabRamenConfig.NAMESPACE,
                  new HubOptions(RETRY, RESYNC, null)));
      sitesUp.forEach(this::startSite);
    } catch (RuntimeException e) {
      stop();
      throw new IllegalStateException("cannot start the lab's orchestrator: " + e.getMessage(), e);
    }
    LOG.info("orchestrator started: hub, managed clusters {}", siteControllers.keySet());
  }

  private void startSite(String site) {
    KubernetesClient cluster = managed.apply(site);
    siteControllers.put(
        site,
        ManagedClusterControllers.start(
            cluster,
            S3Profiles.fromRamenConfigMap(cluster, LabRamenConfig.NAMESPACE, S3Profiles.RAMEN_CONFIG_MAP),
            LabRamenConfig.NAMESPACE,
            new VrgOptions(RETRY, RESYNC)));
  }

  /** Every controller is closed on its own thread at the same time, so none outlives the others. */
  @Override
  public synchronized void stop() {
    running = false;
    List<AutoCloseable> all = new ArrayList<>(siteControllers.values());
    hubControllers.ifPresent(all::add);
    siteControllers.clear();
    hubControllers = Optional.empty();
    List<Thread> stopping = new ArrayList<>();
    List<Exception> failures = Collections.synchronizedList(new ArrayList<>());
    for (AutoCloseable controllers : all) {
      Thread thread = new Thread(() -> closeQuietly(controllers, failures), "lab-orchestrator-stop");
      thread.start();
      stopping.add(thread);
    }
    for (Thread thread : stopping) {
      try {
        thread.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while stopping the lab's orchestrator", e);
      }
    }
    if (!failures.isEmpty()) {
      throw new IllegalStateException("the lab's orchestrator did not stop cleanly", failures.get(0));
    }
  }

  private static void closeQuietly(AutoCloseable controllers, List<Exception> failures) {
    try {
      controllers.close();
    } catch (Exception e) {
      LOG.warn("stopping {} failed", controllers, e);
      failures.add(e);
    }
  }

  /** The sites whose controllers run now (tests). */
  synchronized Set<String> sitesRunning() {
    return Set.copyOf(siteControllers.keySet());
  }

  @Override
  public synchronized boolean running() {
    return running;
  }

  @Override
  public void close() {
    stop();
  }
}
