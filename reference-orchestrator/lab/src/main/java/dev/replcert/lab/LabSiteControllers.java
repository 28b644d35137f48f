package dev.replcert.lab;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lab's per-site controllers, grouped by site so that one site's can be stopped and started
 * again with it ({@link LabDisasterInjector}) while the other site's keep running.
 */
final class LabSiteControllers implements SiteControllers, AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(LabSiteControllers.class);

  private final Function<String, List<AutoCloseable>> starter;
  private final Map<String, List<AutoCloseable>> running = new LinkedHashMap<>();

  /**
   * @param starter starts a site's controllers and returns them in start order; on a failure it
   *     closes whatever it had started
   */
  LabSiteControllers(Function<String, List<AutoCloseable>> starter) {
    this.starter = starter;
  }

  @Override
  public synchronized void start(String site) {
    if (!running.containsKey(site)) {
      running.put(site, List.copyOf(starter.apply(site)));
    }
  }

  @Override
  public synchronized void stop(String site) {
    List<AutoCloseable> controllers = running.remove(site);
    if (controllers != null) {
      closeAll(site, controllers);
    }
  }

  /** Stops every site's controllers, the last started site first. */
  @Override
  public synchronized void close() {
    List<String> sites = new ArrayList<>(running.keySet());
    Collections.reverse(sites);
    RuntimeException failure = null;
    for (String site : sites) {
      try {
        stop(site);
      } catch (RuntimeException e) {
        failure = failure == null ? e : failure;
      }
    }
    if (failure != null) {
      throw failure;
    }
  }

  /** In reverse start order; every one is closed even if another fails, the first failure thrown. */
  private static void closeAll(String site, List<AutoCloseable> controllers) {
    List<AutoCloseable> stopping = new ArrayList<>(controllers);
    Collections.reverse(stopping);
    Exception failure = null;
    for (AutoCloseable controller : stopping) {
      try {
        controller.close();
      } catch (Exception e) {
        LOG.warn("closing {} of site {} failed", controller, site, e);
        failure = failure == null ? e : failure;
      }
    }
    if (failure != null) {
      throw new IllegalStateException("the controllers of site " + site + " did not stop cleanly", failure);
    }
  }
}
