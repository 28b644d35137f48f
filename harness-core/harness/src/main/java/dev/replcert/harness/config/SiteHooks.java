package dev.replcert.harness.config;

import java.util.List;

/** Commands (argv, no shell) that take one site down and bring it back up. */
public record SiteHooks(List<String> down, List<String> up) {

  public SiteHooks {
    down = Copies.listOrNull(down);
    up = Copies.listOrNull(up);
  }
}
