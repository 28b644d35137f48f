package dev.replcert.harness.endpoint;

import dev.replcert.harness.config.ReplicationControlHooks;
import dev.replcert.harness.record.Redactor;
import dev.replcert.harness.spi.ReplicationControl;
import java.time.Duration;
import java.util.Map;

/**
 * Pauses and resumes replication with the vendor's commands ({@code driver.replicationControl});
 * they get {@code REPLCERT_SITE} and {@code REPLCERT_VOLUME_HANDLE} in their environment.
 */
public final class CommandReplicationControl implements ReplicationControl {

  private final ReplicationControlHooks hooks;
  private final Duration timeout;
  private final Redactor redactor;

  public CommandReplicationControl(ReplicationControlHooks hooks, Duration timeout, Redactor redactor) {
    this.hooks = hooks;
    this.timeout = timeout;
    this.redactor = redactor;
  }

  @Override
  public void pause(String site, String volumeOrGroupId) {
    Commands.run(
        "driver.replicationControl.pause", hooks.pause(), env(site, volumeOrGroupId), timeout, redactor);
  }

  @Override
  public void resume(String site, String volumeOrGroupId) {
    Commands.run(
        "driver.replicationControl.resume", hooks.resume(), env(site, volumeOrGroupId), timeout, redactor);
  }

  private static Map<String, String> env(String site, String id) {
    return Map.of("REPLCERT_SITE", site, "REPLCERT_VOLUME_HANDLE", id);
  }
}
