package dev.replcert.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import dev.replcert.api.csi.v1.CsiProto;
import dev.replcert.api.csi.v1.NodePublishVolumeRequest;
import dev.replcert.api.csiaddons.fence.FenceClusterNetworkRequest;
import dev.replcert.api.csiaddons.replication.ControllerGrpc;
import dev.replcert.api.csiaddons.replication.GetVolumeReplicationInfoRequest;
import dev.replcert.api.csiaddons.replication.GetVolumeReplicationInfoResponse;
import dev.replcert.api.csiaddons.replication.PromoteVolumeRequest;
import dev.replcert.api.csiaddons.replication.ReplicationSource;
import dev.replcert.api.csiaddons.replication.ResyncVolumeResponse;
import dev.replcert.api.csiaddons.volumegroup.ModifyVolumeGroupMembershipRequest;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/**
 * The protos were written by hand from the specifications' field tables; these are the numbers
 * that must not drift (reference/csi.md §3 and §6), since only numbers travel on the wire.
 */
class ProtoFieldNumbersTest {

  static Stream<Arguments> fields() {
    return Stream.of(
        Arguments.of(PromoteVolumeRequest.getDescriptor(), "force", 2),
        Arguments.of(PromoteVolumeRequest.getDescriptor(), "parameters", 3),
        Arguments.of(PromoteVolumeRequest.getDescriptor(), "secrets", 4),
        Arguments.of(PromoteVolumeRequest.getDescriptor(), "replication_id", 5),
        Arguments.of(PromoteVolumeRequest.getDescriptor(), "replication_source", 6),
        Arguments.of(GetVolumeReplicationInfoRequest.getDescriptor(), "secrets", 2),
        Arguments.of(GetVolumeReplicationInfoRequest.getDescriptor(), "replication_source", 4),
        Arguments.of(GetVolumeReplicationInfoResponse.getDescriptor(), "last_sync_time", 1),
        Arguments.of(GetVolumeReplicationInfoResponse.getDescriptor(), "last_sync_duration", 2),
        Arguments.of(GetVolumeReplicationInfoResponse.getDescriptor(), "last_sync_bytes", 3),
        Arguments.of(GetVolumeReplicationInfoResponse.getDescriptor(), "status", 4),
        Arguments.of(GetVolumeReplicationInfoResponse.getDescriptor(), "status_message", 5),
        Arguments.of(ResyncVolumeResponse.getDescriptor(), "ready", 1),
        Arguments.of(ReplicationSource.getDescriptor(), "volume", 1),
        Arguments.of(ReplicationSource.getDescriptor(), "volumegroup", 2),
        Arguments.of(FenceClusterNetworkRequest.getDescriptor(), "cidrs", 3),
        Arguments.of(ModifyVolumeGroupMembershipRequest.getDescriptor(), "volume_ids", 2),
        Arguments.of(ModifyVolumeGroupMembershipRequest.getDescriptor(), "parameters", 4),
        Arguments.of(NodePublishVolumeRequest.getDescriptor(), "target_path", 4),
        Arguments.of(NodePublishVolumeRequest.getDescriptor(), "readonly", 6),
        Arguments.of(NodePublishVolumeRequest.getDescriptor(), "secrets", 7));
  }

  @ParameterizedTest(name = "{0}.{1} = {2}")
  @MethodSource("fields")
  void fieldHasTheSpecificationsNumber(Descriptor message, String field, int number) {
    FieldDescriptor descriptor = message.findFieldByName(field);
    assertThat(descriptor).as("%s.%s", message.getFullName(), field).isNotNull();
    assertThat(descriptor.getNumber()).isEqualTo(number);
  }

  @Test
  void theDeprecatedVolumeIdFieldIsGone() {
    assertThat(PromoteVolumeRequest.getDescriptor().findFieldByNumber(1)).isNull();
    assertThat(GetVolumeReplicationInfoRequest.getDescriptor().findFieldByNumber(1)).isNull();
  }

  @Test
  void secretFieldsCarryTheCsiSecretOption() {
    FieldDescriptor secrets = PromoteVolumeRequest.getDescriptor().findFieldByName("secrets");
    assertThat(secrets.getOptions().getExtension(CsiProto.csiSecret)).isTrue();
    assertThat(
            PromoteVolumeRequest.getDescriptor()
                .findFieldByName("parameters")
                .getOptions()
                .getExtension(CsiProto.csiSecret))
        .isFalse();
  }

  @Test
  void methodPathsAreThoseOfTheSpecifications() {
    assertThat(ControllerGrpc.getPromoteVolumeMethod().getFullMethodName())
        .isEqualTo("replication.Controller/PromoteVolume");
    assertThat(dev.replcert.api.csiaddons.fence.FenceControllerGrpc.getFenceClusterNetworkMethod()
            .getFullMethodName())
        .isEqualTo("fence.FenceController/FenceClusterNetwork");
    assertThat(dev.replcert.api.csiaddons.volumegroup.ControllerGrpc.getCreateVolumeGroupMethod()
            .getFullMethodName())
        .isEqualTo("volumegroup.Controller/CreateVolumeGroup");
    assertThat(dev.replcert.api.csi.v1.NodeGrpc.getNodePublishVolumeMethod().getFullMethodName())
        .isEqualTo("csi.v1.Node/NodePublishVolume");
  }
}
