package dev.replcert.orchestrator.hub;

import static dev.replcert.orchestrator.hub.HubCluster.EAST;
import static dev.replcert.orchestrator.testing.MockApi.until;
import static org.assertj.core.api.Assertions.assertThat;

import dev.replcert.orchestrator.testing.ConditionAssert;
import io.fabric8.kubernetes.api.model.Condition;
import io.openshift.ramendr.v1alpha1.DRCluster;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DrClusterTest {

  private HubCluster hub;

  @BeforeEach
  void start() {
    hub = new HubCluster();
  }

  @AfterEach
  void stop() {
    hub.close();
  }

  static Condition condition(DRCluster cluster, String type, String status, String reason) {
    assertThat(cluster.getStatus()).as("status of %s", cluster.getMetadata().getName()).isNotNull();
    return ConditionAssert.condition(
        "DRCluster " + cluster.getMetadata().getName(),
        cluster.getStatus().getConditions(),
        cluster.getMetadata().getGeneration(),
        type,
        status,
        reason);
  }

  @Test
  void aClusterWithAReachableBucketIsValidatedAvailableAndClean() {
    hub.createCluster(EAST, "east-region", List.of("10.1.0.0/16", "fd00::/64"));

    DRCluster east =
        until(
            "validated",
            () -> hub.cluster(EAST),
            c -> {
              condition(c, "Validated", "True", "Succeeded");
              assertThat(c.getStatus().getPhase()).isEqualTo("Available");
            });
    condition(east, "Clean", "True", "Clean");
    condition(east, "Fenced", "False", "Clean");
    assertThat(east.getMetadata().getFinalizers())
        .contains("drclusters.ramendr.openshift.io/ramen");
  }

  @Test
  void anUnreachableBucketFailsValidationUntilItAnswers() {
    hub.eastS3.stop();
    hub.createCluster(EAST, "east-region", List.of());

    DRCluster east =
        until(
            "S3 list failed",
            () -> hub.cluster(EAST),
            c -> condition(c, "Validated", "False", "s3ListFailed"));
    assertThat(condition(east, "Validated", "False", "s3ListFailed").getMessage()).startsWith("s3-east: ").doesNotContain(hub.eastS3.secretKey);

    hub.eastS3.start();
    until(
        "validated once S3 is back",
        () -> hub.cluster(EAST),
        c -> condition(c, "Validated", "True", "Succeeded"));
  }

  @Test
  void aProfileWithoutItsSecretCannotConnect() {
    hub.client.secrets().inNamespace("ramen-system").withName("s3-east").delete();
    hub.createCluster(EAST, "east-region", List.of());

    until(
        "S3 connection failed",
        () -> hub.cluster(EAST),
        c -> condition(c, "Validated", "False", "s3ConnectionFailed"));
  }

  @Test
  void invalidCidrsAreNamed() {
    hub.createCluster(EAST, "east-region", List.of("10.1.0.0/16", "10.1.0.0/33", "east"));

    DRCluster east =
        until(
            "CIDRs refused",
            () -> hub.cluster(EAST),
            c -> condition(c, "Validated", "False", "ValidationFailed"));
    assertThat(condition(east, "Validated", "False", "ValidationFailed").getMessage()).isEqualTo("invalid CIDRs specified 10.1.0.0/33, east");
  }

  @Test
  void manualFencingOnlySetsConditionsAndPhase() {
    hub.createCluster(EAST, "east-region", List.of("10.1.0.0/16"));
    hub.editCluster(EAST, s -> s.setClusterFence(
        io.openshift.ramendr.v1alpha1.DRClusterSpec.ClusterFence.MANUALLYFENCED));
    until(
        "manually fenced",
        () -> hub.cluster(EAST),
        c -> {
          condition(c, "Fenced", "True", "Fenced");
          assertThat(c.getStatus().getPhase()).isEqualTo("Fenced");
        });

    hub.editCluster(EAST, s -> s.setClusterFence(
        io.openshift.ramendr.v1alpha1.DRClusterSpec.ClusterFence.MANUALLYUNFENCED));
    until(
        "manually unfenced",
        () -> hub.cluster(EAST),
        c -> {
          condition(c, "Clean", "True", "Clean");
          assertThat(c.getStatus().getPhase()).isEqualTo("Unfenced");
        });
    assertThat(hub.client.resources(io.open_cluster_management.work.v1.ManifestWork.class)
            .inAnyNamespace().list().getItems())
        .isEmpty();
  }
}
