package dev.replcert.refdriver.grpc;

import com.google.protobuf.BoolValue;
import dev.replcert.api.csiaddons.identity.Capability;
import dev.replcert.api.csiaddons.identity.GetCapabilitiesRequest;
import dev.replcert.api.csiaddons.identity.GetCapabilitiesResponse;
import dev.replcert.api.csiaddons.identity.GetIdentityRequest;
import dev.replcert.api.csiaddons.identity.GetIdentityResponse;
import dev.replcert.api.csiaddons.identity.IdentityGrpc;
import dev.replcert.api.csiaddons.identity.ProbeRequest;
import dev.replcert.api.csiaddons.identity.ProbeResponse;
import dev.replcert.refdriver.DriverOptions;
import io.grpc.stub.StreamObserver;

/**
 * csi-addons Identity of the controller side. Capabilities are advertised as the correct driver
 * implements them; under CAPABILITIES_OVERSTATED they stay advertised while the RPCs refuse.
 */
public final class AddonsIdentityService extends IdentityGrpc.IdentityImplBase {

  private final Facade facade;

  public AddonsIdentityService(Facade facade) {
    this.facade = facade;
  }

  @Override
  public void getIdentity(GetIdentityRequest request, StreamObserver<GetIdentityResponse> responses) {
    Rpc.unary(
        responses,
        () ->
            GetIdentityResponse.newBuilder()
                .setName(DriverOptions.DRIVER_NAME)
                .setVendorVersion(DriverVersion.get())
                .putManifest("site", facade.site().site())
                .build());
  }

  @Override
  public void getCapabilities(GetCapabilitiesRequest request, StreamObserver<GetCapabilitiesResponse> responses) {
    Rpc.unary(
        responses,
        () ->
            GetCapabilitiesResponse.newBuilder()
                .addCapabilities(
                    Capability.newBuilder()
                        .setService(Capability.Service.newBuilder().setType(Capability.Service.Type.CONTROLLER_SERVICE)))
                .addCapabilities(replication(Capability.VolumeReplication.Type.VOLUME_REPLICATION))
                .addCapabilities(replication(Capability.VolumeReplication.Type.GET_REPLICATION_DESTINATION_INFO))
                .addCapabilities(group(Capability.VolumeGroup.Type.VOLUME_GROUP))
                .addCapabilities(group(Capability.VolumeGroup.Type.MODIFY_VOLUME_GROUP))
                .addCapabilities(group(Capability.VolumeGroup.Type.GET_VOLUME_GROUP))
                .addCapabilities(group(Capability.VolumeGroup.Type.LIST_VOLUME_GROUPS))
                .addCapabilities(fence(Capability.NetworkFence.Type.NETWORK_FENCE))
                .addCapabilities(fence(Capability.NetworkFence.Type.GET_CLIENTS_TO_FENCE))
                .build());
  }

  @Override
  public void probe(ProbeRequest request, StreamObserver<ProbeResponse> responses) {
    Rpc.unary(responses, () -> ProbeResponse.newBuilder().setReady(BoolValue.of(true)).build());
  }

  private static Capability replication(Capability.VolumeReplication.Type type) {
    return Capability.newBuilder().setVolumeReplication(Capability.VolumeReplication.newBuilder().setType(type)).build();
  }

  private static Capability group(Capability.VolumeGroup.Type type) {
    return Capability.newBuilder().setVolumeGroup(Capability.VolumeGroup.newBuilder().setType(type)).build();
  }

  private static Capability fence(Capability.NetworkFence.Type type) {
    return Capability.newBuilder().setNetworkFence(Capability.NetworkFence.newBuilder().setType(type)).build();
  }
}
