package dev.replcert.orchestrator.hub;

import static dev.replcert.orchestrator.hub.HubCluster.EAST;
import static dev.replcert.orchestrator.hub.HubCluster.WEST;
import static dev.replcert.orchestrator.testing.MockApi.until;
import static org.assertj.core.api.Assertions.assertThat;

import dev.replcert.orchestrator.testing.ConditionAssert;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.openshift.ramendr.v1alpha1.DRPlacementControl;
import io.openshift.ramendr.v1alpha1.DRPlacementControlSpec;
import io.openshift.ramendr.v1alpha1.DRPolicy;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DrPolicyTest {

  private HubCluster hub;

  @BeforeEach
  void start() {
    hub = new HubCluster();
  }

  @AfterEach
  void stop() {
    hub.close();
  }

  private static void validated(DRPolicy policy, String status, String reason) {
    assertThat(policy.getStatus()).as("status of %s", policy.getMetadata().getName()).isNotNull();
    ConditionAssert.condition(
        "DRPolicy " + policy.getMetadata().getName(),
        policy.getStatus().getConditions(),
        policy.getMetadata().getGeneration(),
        "Validated",
        status,
        reason);
  }

  @Test
  void aPolicyOverTwoValidatedClustersIsValidatedAndFinalized() {
    hub.createCluster(EAST, "east-region", List.of("10.1.0.0/16"));
    hub.createCluster(WEST, "west-region", List.of("10.2.0.0/16"));
    hub.createPolicy("dr-1m", "1m", List.of(EAST, WEST));

    DRPolicy policy =
        until("policy validated", () -> hub.policy("dr-1m"), p -> validated(p, "True", "Succeeded"));
    assertThat(policy.getMetadata().getFinalizers())
        .contains("drpolicies.ramendr.openshift.io/ramen");
  }

  @Test
  void whatTheCrdWouldRefuseIsNotValidated() {
    hub.createCluster(EAST, "east-region", List.of());
    hub.createCluster(WEST, "west-region", List.of());
    hub.createPolicy("three", "1m", List.of(EAST, WEST, "north"));
    hub.createPolicy("bad-interval", "5x", List.of(EAST, WEST));
    DRPolicy badSelector = new DRPolicy();
    badSelector.getMetadata().setName("bad-selector");
    badSelector.setSpec(hub.policy("bad-interval").getSpec());
    badSelector.getSpec().setSchedulingInterval("5m");
    badSelector
        .getSpec()
        .setReplicationClassSelector(
            new LabelSelectorBuilder()
                .addNewMatchExpression()
                .withKey("class")
                .withOperator("In")
                .endMatchExpression()
                .build());
    hub.client.resource(badSelector).create();

    for (String name : List.of("three", "bad-interval", "bad-selector")) {
      until(
          name + " refused",
          () -> hub.policy(name),
          p -> validated(p, "False", "ValidationFailed"));
    }
  }

  @Test
  void aMissingClusterIsReportedUntilItIsCreated() {
    hub.createCluster(EAST, "east-region", List.of());
    hub.createPolicy("dr-1m", "1m", List.of(EAST, WEST));
    until(
        "west not found",
        () -> hub.policy("dr-1m"),
        p -> validated(p, "False", "DRClusterNotFound"));

    hub.createCluster(WEST, "west-region", List.of());
    until("validated", () -> hub.policy("dr-1m"), p -> validated(p, "True", "Succeeded"));
  }

  @Test
  void aNewerMetroPolicySharingAClusterConflicts() {
    hub.createCluster(EAST, "metro", List.of());
    hub.createCluster(WEST, "metro", List.of());
    hub.createCluster("north", "north-region", List.of());
    hub.createPolicy("metro", "", List.of(EAST, WEST));
    until("older validated", () -> hub.policy("metro"), p -> validated(p, "True", "Succeeded"));
    hub.createPolicy("regional", "5m", List.of(EAST, "north"));

    until(
        "newer in conflict",
        () -> hub.policy("regional"),
        p -> validated(p, "False", "DRPolicyConflictFound"));
    validated(hub.policy("metro"), "True", "Succeeded");
  }

  @Test
  void aPolicyInUseByADrpcIsKeptUntilTheDrpcGoes() {
    hub.createCluster(EAST, "east-region", List.of());
    hub.createCluster(WEST, "west-region", List.of());
    hub.createPolicy("dr-1m", "1m", List.of(EAST, WEST));
    until("validated", () -> hub.policy("dr-1m"), p -> validated(p, "True", "Succeeded"));
    DRPlacementControl drpc = new DRPlacementControl();
    drpc.getMetadata().setName("shop");
    drpc.getMetadata().setNamespace(EAST);
    DRPlacementControlSpec spec = new DRPlacementControlSpec();
    spec.setDrPolicyRef(new ObjectReferenceBuilder().withName("dr-1m").build());
    drpc.setSpec(spec);
    hub.client.resource(drpc).create();

    hub.client.resource(hub.policy("dr-1m")).delete();
    until(
        "deletion held",
        () -> hub.policy("dr-1m"),
        p -> assertThat(p.getMetadata().getDeletionTimestamp()).isNotNull());
    hub.client.resource(drpc).delete();
    until("policy gone", () -> hub.policy("dr-1m"), p -> assertThat(p).isNull());
  }
}
