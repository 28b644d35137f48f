package dev.replcert.lab;

import dev.replcert.api.refdriver.v1.PauseReplicationRequest;
import dev.replcert.api.refdriver.v1.ReplicationControlGrpc;
import dev.replcert.api.refdriver.v1.ResumeReplicationRequest;
import dev.replcert.harness.spi.ReplicationControl;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Pause and resume through the bundled driver's vendor extension service. */
final class LabReplicationControl implements ReplicationControl {

  private final Map<String, LabSite> sites;
  private final Duration rpcTimeout;

  LabReplicationControl(Map<String, LabSite> sites, Duration rpcTimeout) {
    this.sites = sites;
    this.rpcTimeout = rpcTimeout;
  }

  @Override
  public void pause(String site, String volumeOrGroupId) {
    stub(site).pauseReplication(PauseReplicationRequest.newBuilder().setId(volumeOrGroupId).build());
  }

  @Override
  public void resume(String site, String volumeOrGroupId) {
    stub(site).resumeReplication(ResumeReplicationRequest.newBuilder().setId(volumeOrGroupId).build());
  }

  private ReplicationControlGrpc.ReplicationControlBlockingStub stub(String site) {
    LabSite labSite = sites.get(site);
    if (labSite == null) {
      throw new IllegalArgumentException("the lab has no site " + site);
    }
    return ReplicationControlGrpc.newBlockingStub(labSite.endpoint().csi())
        .withDeadlineAfter(rpcTimeout.toMillis(), TimeUnit.MILLISECONDS);
  }
}
