package dev.replcert.api.csiaddons.identity;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.BoolValue;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The identity.proto we wrote must be wire-compatible with the csi-addons specification: same
 * service path and field numbers (reference/csi.md §3), and usable end to end over gRPC.
 */
class IdentityProtoWireTest {

  private Server server;
  private ManagedChannel channel;

  @BeforeEach
  void startServer() throws IOException {
    String name = InProcessServerBuilder.generateName();
    server =
        InProcessServerBuilder.forName(name)
            .directExecutor()
            .addService(new FixedIdentity())
            .build()
            .start();
    channel = InProcessChannelBuilder.forName(name).directExecutor().build();
  }

  @AfterEach
  void stopServer() throws InterruptedException {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }

  @Test
  void methodPathsAreThoseOfTheSpecification() {
    assertThat(IdentityGrpc.getGetIdentityMethod().getFullMethodName())
        .isEqualTo("identity.Identity/GetIdentity");
    assertThat(IdentityGrpc.getGetCapabilitiesMethod().getFullMethodName())
        .isEqualTo("identity.Identity/GetCapabilities");
    assertThat(IdentityGrpc.getProbeMethod().getFullMethodName())
        .isEqualTo("identity.Identity/Probe");
  }

  @Test
  void fieldNumbersAreThoseOfTheSpecification() {
    assertField(GetIdentityResponse.getDescriptor(), "name", 1);
    assertField(GetIdentityResponse.getDescriptor(), "vendor_version", 2);
    assertField(GetIdentityResponse.getDescriptor(), "manifest", 3);
    assertField(GetCapabilitiesResponse.getDescriptor(), "capabilities", 1);
    Descriptor capability = Capability.getDescriptor();
    assertField(capability, "service", 1);
    assertField(capability, "reclaim_space", 2);
    assertField(capability, "network_fence", 3);
    assertField(capability, "volume_replication", 4);
    assertField(capability, "volume_group", 5);
    assertField(capability, "encryption_key_rotation", 6);
    assertField(ProbeResponse.getDescriptor(), "ready", 1);
    assertThat(Capability.VolumeReplication.Type.GET_REPLICATION_DESTINATION_INFO.getNumber())
        .isEqualTo(2);
    assertThat(Capability.VolumeGroup.Type.LIST_VOLUME_GROUPS.getNumber()).isEqualTo(6);
    assertThat(Capability.NetworkFence.Type.GET_CLIENTS_TO_FENCE.getNumber()).isEqualTo(2);
  }

  @Test
  void identityAndCapabilitiesTravelOverGrpc() {
    IdentityGrpc.IdentityBlockingStub stub = IdentityGrpc.newBlockingStub(channel);

    GetIdentityResponse identity = stub.getIdentity(GetIdentityRequest.getDefaultInstance());
    GetCapabilitiesResponse capabilities =
        stub.getCapabilities(GetCapabilitiesRequest.getDefaultInstance());
    ProbeResponse probe = stub.probe(ProbeRequest.getDefaultInstance());

    assertThat(identity.getName()).isEqualTo("reference.replcert.dev");
    assertThat(identity.getManifestMap()).containsEntry("sites", "east,west");
    assertThat(capabilities.getCapabilitiesList())
        .extracting(c -> c.getVolumeReplication().getType())
        .contains(Capability.VolumeReplication.Type.VOLUME_REPLICATION);
    assertThat(probe.hasReady()).isTrue();
    assertThat(probe.getReady().getValue()).isTrue();
  }

  private static void assertField(Descriptor message, String field, int number) {
    FieldDescriptor descriptor = message.findFieldByName(field);
    assertThat(descriptor).as("%s.%s", message.getFullName(), field).isNotNull();
    assertThat(descriptor.getNumber()).as("%s.%s", message.getFullName(), field).isEqualTo(number);
  }

  /** A fixed identity server, standing in for a driver. */
  private static final class FixedIdentity extends IdentityGrpc.IdentityImplBase {
    @Override
    public void getIdentity(GetIdentityRequest request, StreamObserver<GetIdentityResponse> out) {
      out.onNext(
          GetIdentityResponse.newBuilder()
              .setName("reference.replcert.dev")
              .setVendorVersion("0.1.0")
              .putManifest("sites", "east,west")
              .build());
      out.onCompleted();
    }

    @Override
    public void getCapabilities(
        GetCapabilitiesRequest request, StreamObserver<GetCapabilitiesResponse> out) {
      out.onNext(
          GetCapabilitiesResponse.newBuilder()
              .addCapabilities(
                  Capability.newBuilder()
                      .setVolumeReplication(
                          Capability.VolumeReplication.newBuilder()
                              .setType(Capability.VolumeReplication.Type.VOLUME_REPLICATION)))
              .build());
      out.onCompleted();
    }

    @Override
    public void probe(ProbeRequest request, StreamObserver<ProbeResponse> out) {
      out.onNext(ProbeResponse.newBuilder().setReady(BoolValue.of(true)).build());
      out.onCompleted();
    }
  }
}
