package dev.replcert.lab;

import dev.replcert.harness.spi.DisasterInjector;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes a managed site of the lab (east or west) down and brings it back: its driver site, its
 * cluster's API server and its S3 stop together, and start again on the same sockets and ports
 * from the state they had (volumes on disk, objects in the API server's store, S3 objects on
 * disk). The controllers running in the site's cluster (provisioner, kubelet, csi-addons, Ramen's
 * DR-cluster controllers; {@link SiteControllers}) go down first and come back last, started afresh. The hub is not a site and is
 * never taken down.
 */
final class LabDisasterInjector implements DisasterInjector {

  private static final Logger LOG = LoggerFactory.getLogger(LabDisasterInjector.class);

  private final Map<String, LabSite> sites;
  private final Map<String, LabApiServer> clusters;
  private final Map<String, LabS3Server> stores;
  private final SiteControllers controllers;
  private final Duration answerTimeout;
  private final Set<String> down = ConcurrentHashMap.newKeySet();

  LabDisasterInjector(
      Map<String, LabSite> sites,
      Map<String, LabApiServer> clusters,
      Map<String, LabS3Server> stores,
      SiteControllers controllers,
      Duration answerTimeout) {
    this.sites = sites;
    this.clusters = clusters;
    this.stores = stores;
    this.controllers = controllers;
    this.answerTimeout = answerTimeout;
  }

  @Override
  public boolean supports(String site) {
    return sites.containsKey(site);
  }

  @Override
  public void takeDown(String site) {
    LabSite labSite = site(site);
    down.add(site);
    try {
      // they run in the cluster and go down with it; closed first, while the API server answers
      controllers.stop(site);
    } finally {
      try {
        labSite.stop();
      } finally {
        try {
          part(clusters, site).stop();
        } finally {
          part(stores, site).stop();
        }
      }
    }
  }

  /**
   * Every part is started (each start is idempotent), the controllers too even when the driver
   * does not answer in time: they are level-triggered and retry, and a site left without them
   * would break every later test. A site that did not answer stays down for {@link #isDown}, so a
   * test's cleanup brings it up again.
   */
  @Override
  public void bringUp(String site) {
    LabSite labSite = site(site);
    part(stores, site).start();
    part(clusters, site).start();
    labSite.start();
    try {
      labSite.awaitAnswering(answerTimeout);
    } catch (RuntimeException e) {
      LOG.warn("lab site {} came back, but {}", site, e.getMessage());
      throw e;
    } finally {
      // fresh ones, level-triggered: they rebuild from what the cluster and driver hold now
      controllers.start(site);
    }
    down.remove(site);
  }

  /** Down from {@link #takeDown} until a {@link #bringUp} saw the site answer again. */
  @Override
  public boolean isDown(String site) {
    return down.contains(site) || site(site).isDown();
  }

  private LabSite site(String name) {
    LabSite site = sites.get(name);
    if (site == null) {
      throw new IllegalArgumentException(
          "the lab cannot take down " + name + "; sites: " + sites.keySet());
    }
    return site;
  }

  private static <T> T part(Map<String, T> parts, String site) {
    T part = parts.get(site);
    if (part == null) {
      throw new IllegalStateException("the lab has no " + site + " part among " + parts.keySet());
    }
    return part;
  }
}
