package dev.replcert.harness.config;

import java.util.List;

/**
 * Commands that pause and resume replication of a volume. csi-addons has no such RPC, so a vendor
 * who claims {@code pause-resume} on real targets gives these. Each is an argv list, run without a
 * shell; docs/cert-yaml.md says which REPLCERT_* variables name the volume.
 */
public record ReplicationControlHooks(List<String> pause, List<String> resume) {

  public ReplicationControlHooks {
    pause = Copies.listOrNull(pause);
    resume = Copies.listOrNull(resume);
  }
}
