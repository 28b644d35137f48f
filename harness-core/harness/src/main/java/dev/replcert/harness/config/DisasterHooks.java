package dev.replcert.harness.config;

import java.time.Duration;

/**
 * How to cause a disaster on real targets. {@code timeout} bounds each hook command; how long the
 * harness then waits to see the site down or up is {@code timeouts.siteDown/siteUp}. A site without
 * hooks cannot be failed, and the tests that need it skip with that reason.
 */
public record DisasterHooks(Duration timeout, Sites<SiteHooks> sites) {

  public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(5);

  public DisasterHooks {
    timeout = timeout == null ? DEFAULT_TIMEOUT : timeout;
    sites = sites == null ? new Sites<>(null, null) : sites;
  }
}
