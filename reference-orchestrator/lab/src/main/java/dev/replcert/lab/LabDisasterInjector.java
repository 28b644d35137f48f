package dev.replcert.lab;

import dev.replcert.harness.spi.DisasterInjector;
import java.time.Duration;
import java.util.Map;

/** Takes a lab site down by stopping its driver site, and brings it back from its disk state. */
final class LabDisasterInjector implements DisasterInjector {

  private final Map<String, LabSite> sites;
  private final Duration answerTimeout;

  LabDisasterInjector(Map<String, LabSite> sites, Duration answerTimeout) {
    this.sites = sites;
    this.answerTimeout = answerTimeout;
  }

  @Override
  public boolean supports(String site) {
    return sites.containsKey(site);
  }

  @Override
  public void takeDown(String site) {
    site(site).stop();
  }

  @Override
  public void bringUp(String site) {
    LabSite labSite = site(site);
    labSite.start();
    labSite.awaitAnswering(answerTimeout);
  }

  @Override
  public boolean isDown(String site) {
    return site(site).isDown();
  }

  private LabSite site(String name) {
    LabSite site = sites.get(name);
    if (site == null) {
      throw new IllegalArgumentException("the lab has no site " + name + "; sites: " + sites.keySet());
    }
    return site;
  }
}
