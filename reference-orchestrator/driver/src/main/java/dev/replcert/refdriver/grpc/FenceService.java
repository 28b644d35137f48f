package dev.replcert.refdriver.grpc;

import dev.replcert.api.csiaddons.fence.CIDR;
import dev.replcert.api.csiaddons.fence.ClientDetails;
import dev.replcert.api.csiaddons.fence.FenceClusterNetworkRequest;
import dev.replcert.api.csiaddons.fence.FenceClusterNetworkResponse;
import dev.replcert.api.csiaddons.fence.FenceControllerGrpc;
import dev.replcert.api.csiaddons.fence.GetFenceClientsRequest;
import dev.replcert.api.csiaddons.fence.GetFenceClientsResponse;
import dev.replcert.api.csiaddons.fence.ListClusterFenceRequest;
import dev.replcert.api.csiaddons.fence.ListClusterFenceResponse;
import dev.replcert.api.csiaddons.fence.UnfenceClusterNetworkRequest;
import dev.replcert.api.csiaddons.fence.UnfenceClusterNetworkResponse;
import dev.replcert.refdriver.Defect;
import dev.replcert.refdriver.DriverOptions;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** csi-addons fence.FenceController: network fencing of this site's client (node) addresses. */
public final class FenceService extends FenceControllerGrpc.FenceControllerImplBase {

  private final Facade facade;

  public FenceService(Facade facade) {
    this.facade = facade;
  }

  @Override
  public void fenceClusterNetwork(
      FenceClusterNetworkRequest request, StreamObserver<FenceClusterNetworkResponse> responses) {
    call(
        responses,
        request.getSecretsMap(),
        () -> {
          facade.site().fence(cidrs(request.getCidrsList()));
          return FenceClusterNetworkResponse.getDefaultInstance();
        });
  }

  @Override
  public void unfenceClusterNetwork(
      UnfenceClusterNetworkRequest request, StreamObserver<UnfenceClusterNetworkResponse> responses) {
    call(
        responses,
        request.getSecretsMap(),
        () -> {
          facade.site().unfence(cidrs(request.getCidrsList()));
          return UnfenceClusterNetworkResponse.getDefaultInstance();
        });
  }

  @Override
  public void listClusterFence(ListClusterFenceRequest request, StreamObserver<ListClusterFenceResponse> responses) {
    call(
        responses,
        request.getSecretsMap(),
        () -> {
          ListClusterFenceResponse.Builder list = ListClusterFenceResponse.newBuilder();
          facade.site().fencedCidrs().forEach(cidr -> list.addCidrs(CIDR.newBuilder().setCidr(cidr)));
          return list.build();
        });
  }

  @Override
  public void getFenceClients(GetFenceClientsRequest request, StreamObserver<GetFenceClientsResponse> responses) {
    call(
        responses,
        request.getSecretsMap(),
        () -> {
          GetFenceClientsResponse.Builder clients = GetFenceClientsResponse.newBuilder();
          for (DriverOptions.NodeSpec node : facade.options().nodes()) {
            clients.addClients(
                ClientDetails.newBuilder()
                    .setId(node.id())
                    .addAddresses(CIDR.newBuilder().setCidr(Cidrs.ofAddress(node.address()))));
          }
          return clients.build();
        });
  }

  private <T> void call(StreamObserver<T> responses, Map<String, String> secrets, Supplier<T> body) {
    Rpc.unary(
        responses,
        () -> {
          if (facade.has(Defect.CAPABILITIES_OVERSTATED)) {
            throw Status.UNIMPLEMENTED.withDescription("network fence is not implemented").asRuntimeException();
          }
          facade.checkSecrets(secrets);
          return body.get();
        });
  }

  private static List<String> cidrs(List<CIDR> requested) {
    if (requested.isEmpty()) {
      throw GrpcErrors.invalidArgument("cidrs is required");
    }
    for (CIDR cidr : requested) {
      if (!Cidrs.isValid(cidr.getCidr())) {
        throw GrpcErrors.invalidArgument("cidr " + cidr.getCidr() + " is not in CIDR notation (e.g. 192.0.2.0/24)");
      }
    }
    return requested.stream().map(CIDR::getCidr).toList();
  }
}
