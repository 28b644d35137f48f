package dev.replcert.refdriver.grpc;

import com.google.protobuf.BoolValue;
import dev.replcert.api.csi.v1.GetPluginCapabilitiesRequest;
import dev.replcert.api.csi.v1.GetPluginCapabilitiesResponse;
import dev.replcert.api.csi.v1.GetPluginInfoRequest;
import dev.replcert.api.csi.v1.GetPluginInfoResponse;
import dev.replcert.api.csi.v1.IdentityGrpc;
import dev.replcert.api.csi.v1.PluginCapability;
import dev.replcert.api.csi.v1.ProbeRequest;
import dev.replcert.api.csi.v1.ProbeResponse;
import dev.replcert.refdriver.DriverOptions;
import io.grpc.stub.StreamObserver;

/** CSI Identity: served on the controller socket and on every node socket. */
public final class CsiIdentityService extends IdentityGrpc.IdentityImplBase {

  private final Facade facade;
  private final boolean controller;

  /**
   * @param controller whether this socket also serves the CSI Controller (a node socket does not,
   *     and must not advertise CONTROLLER_SERVICE)
   */
  public CsiIdentityService(Facade facade, boolean controller) {
    this.facade = facade;
    this.controller = controller;
  }

  @Override
  public void getPluginInfo(GetPluginInfoRequest request, StreamObserver<GetPluginInfoResponse> responses) {
    Rpc.unary(
        responses,
        () ->
            GetPluginInfoResponse.newBuilder()
                .setName(DriverOptions.DRIVER_NAME)
                .setVendorVersion(DriverVersion.get())
                .putManifest("site", facade.site().site())
                .build());
  }

  @Override
  public void getPluginCapabilities(
      GetPluginCapabilitiesRequest request, StreamObserver<GetPluginCapabilitiesResponse> responses) {
    Rpc.unary(
        responses,
        () -> {
          GetPluginCapabilitiesResponse.Builder capabilities = GetPluginCapabilitiesResponse.newBuilder();
          if (controller) {
            capabilities.addCapabilities(
                PluginCapability.newBuilder()
                    .setService(
                        PluginCapability.Service.newBuilder()
                            .setType(PluginCapability.Service.Type.CONTROLLER_SERVICE)));
          }
          return capabilities.build();
        });
  }

  @Override
  public void probe(ProbeRequest request, StreamObserver<ProbeResponse> responses) {
    Rpc.unary(responses, () -> ProbeResponse.newBuilder().setReady(BoolValue.of(true)).build());
  }
}
