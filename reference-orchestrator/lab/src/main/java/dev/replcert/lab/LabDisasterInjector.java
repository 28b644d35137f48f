package dev.replcert.lab;

import dev.replcert.harness.spi.DisasterInjector;
import java.time.Duration;
import java.util.Map;

/**
 * Takes a managed site of the lab (east or west) down and brings it back: its driver site, its
 * cluster's API server and its S3 stop together, and start again on the same sockets and ports
 * from the state they had (volumes on disk, objects in the API server's store, S3 objects on
 * disk). The controllers running in the site's cluster (provisioner, kubelet, csi-addons, Ramen's
 * DR-cluster controllers; {@link SiteControllers}) go down first and come back last, started afresh. The hub is not a site and is
 * never taken down.
 */
final class LabDisasterInjector implements DisasterInjector {

  private final Map<String, LabSite> sites;
  private final Map<String, LabApiServer> clusters;
  private final Map<String, LabS3Server> stores;
  private final SiteControllers controllers;
  private final Duration answerTimeout;

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

  @Override
  public void bringUp(String site) {
    LabSite labSite = site(site);
    part(stores, site).start();
    part(clusters, site).start();
    labSite.start();
    labSite.awaitAnswering(answerTimeout);
    // fresh ones, level-triggered: they rebuild from what the cluster and driver hold now
    controllers.start(site);
  }

  @Override
  public boolean isDown(String site) {
    return site(site).isDown();
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
