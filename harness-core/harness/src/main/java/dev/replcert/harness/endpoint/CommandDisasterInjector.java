package dev.replcert.harness.endpoint;

import dev.replcert.harness.config.DisasterHooks;
import dev.replcert.harness.config.SiteHooks;
import dev.replcert.harness.record.Redactor;
import dev.replcert.harness.spi.DisasterInjector;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Takes a site down and up with the vendor's commands from cert.yaml ({@code disaster.sites}).
 * The commands must return only once the site is down (or up again); they get {@code
 * REPLCERT_SITE} in their environment.
 */
public final class CommandDisasterInjector implements DisasterInjector {

  private final DisasterHooks hooks;
  private final Redactor redactor;
  private final Set<String> down = new HashSet<>();

  public CommandDisasterInjector(DisasterHooks hooks, Redactor redactor) {
    this.hooks = hooks;
    this.redactor = redactor;
  }

  @Override
  public boolean supports(String site) {
    return hooks.sites() != null && hooks.sites().site(site).isPresent();
  }

  @Override
  public synchronized void takeDown(String site) {
    Commands.run(
        "disaster.sites." + site + ".down", hooks(site).down(), Map.of("REPLCERT_SITE", site),
        hooks.timeout(), redactor);
    down.add(site);
  }

  @Override
  public synchronized void bringUp(String site) {
    Commands.run(
        "disaster.sites." + site + ".up", hooks(site).up(), Map.of("REPLCERT_SITE", site),
        hooks.timeout(), redactor);
    down.remove(site);
  }

  @Override
  public synchronized boolean isDown(String site) {
    return down.contains(site);
  }

  private SiteHooks hooks(String site) {
    return hooks
        .sites()
        .site(site)
        .orElseThrow(() -> new IllegalStateException("no disaster hooks for site " + site));
  }
}
