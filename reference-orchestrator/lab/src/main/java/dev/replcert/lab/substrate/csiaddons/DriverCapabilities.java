package dev.replcert.lab.substrate.csiaddons;

import dev.replcert.api.csiaddons.identity.Capability;
import dev.replcert.api.csiaddons.identity.GetCapabilitiesRequest;
import dev.replcert.api.csiaddons.identity.IdentityGrpc;
import io.grpc.Channel;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What the driver's csi-addons Identity advertises, asked on first need and then remembered (as
 * csi-addons keeps the capabilities of a CSIAddonsNode connection): the controller sends an
 * optional RPC only to a driver that advertises it. A failed probe is not remembered, so a driver
 * that was not up yet is asked again next time.
 */
final class DriverCapabilities {

  private final IdentityGrpc.IdentityBlockingStub identity;
  private final Duration rpcTimeout;
  private volatile List<Capability> advertised;

  DriverCapabilities(Channel channel, Duration rpcTimeout) {
    this.identity = IdentityGrpc.newBlockingStub(channel);
    this.rpcTimeout = rpcTimeout;
  }

  /** VolumeReplication {@code GET_REPLICATION_DESTINATION_INFO}; false while the driver is silent. */
  boolean replicationDestinationInfo() {
    return advertised().stream()
        .anyMatch(
            c ->
                c.hasVolumeReplication()
                    && c.getVolumeReplication().getType()
                        == Capability.VolumeReplication.Type.GET_REPLICATION_DESTINATION_INFO);
  }

  private List<Capability> advertised() {
    List<Capability> known = advertised;
    if (known == null) {
      try {
        known =
            identity
                .withDeadlineAfter(rpcTimeout.toMillis(), TimeUnit.MILLISECONDS)
                .getCapabilities(GetCapabilitiesRequest.getDefaultInstance())
                .getCapabilitiesList();
      } catch (StatusRuntimeException e) {
        return List.of();
      }
      advertised = known;
    }
    return known;
  }
}
