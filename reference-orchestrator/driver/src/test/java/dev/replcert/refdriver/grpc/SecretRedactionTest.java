package dev.replcert.refdriver.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.TextFormat;
import dev.replcert.api.csi.v1.CreateVolumeRequest;
import dev.replcert.api.csi.v1.NodePublishVolumeRequest;
import dev.replcert.api.csiaddons.fence.CIDR;
import dev.replcert.api.csiaddons.fence.FenceClusterNetworkRequest;
import dev.replcert.api.csiaddons.replication.DemoteVolumeRequest;
import dev.replcert.refdriver.testing.Requests;
import org.junit.jupiter.api.Test;

class SecretRedactionTest {

  @Test
  void csiSecretFieldsAreClearedAndEverythingElseKept() {
    DemoteVolumeRequest demote =
        DemoteVolumeRequest.newBuilder()
            .setReplicationSource(Requests.volumeSource("vol-1"))
            .putParameters("schedulingInterval", "1m")
            .putSecrets("password", "hunter2")
            .build();

    String logged = TextFormat.printer().emittingSingleLine(true).printToString(SecretRedaction.redact(demote));

    assertThat(logged).contains("vol-1", "schedulingInterval").doesNotContain("hunter2", "password");
  }

  @Test
  void everyServiceFamilyIsCovered() {
    assertThat(
            SecretRedaction.redact(
                CreateVolumeRequest.newBuilder().setName("v").putSecrets("k", "csi-secret").build()).toString())
        .doesNotContain("csi-secret");
    assertThat(
            SecretRedaction.redact(
                NodePublishVolumeRequest.newBuilder().setVolumeId("v").putSecrets("k", "node-secret").build()).toString())
        .doesNotContain("node-secret");
    assertThat(
            SecretRedaction.redact(
                FenceClusterNetworkRequest.newBuilder()
                    .addCidrs(CIDR.newBuilder().setCidr("192.0.2.0/24"))
                    .putSecrets("k", "fence-secret")
                    .build()).toString())
        .contains("192.0.2.0/24")
        .doesNotContain("fence-secret");
  }
}
