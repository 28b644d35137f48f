package dev.replcert.lab.substrate.csiaddons;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.replcert.api.csiaddons.fence.CIDR;
import dev.replcert.api.csiaddons.fence.FenceControllerGrpc;
import dev.replcert.api.csiaddons.fence.ListClusterFenceRequest;
import dev.replcert.api.k8s.CsiAddons;
import dev.replcert.harness.config.TimeoutOperation;
import dev.replcert.lab.substrate.csiaddons.CsiAddonsLab.Cluster;
import io.openshift.csiaddons.v1alpha1.NetworkFence;
import io.openshift.csiaddons.v1alpha1.NetworkFenceClass;
import io.openshift.csiaddons.v1alpha1.NetworkFenceClassSpec;
import io.openshift.csiaddons.v1alpha1.NetworkFenceSpec;
import io.openshift.csiaddons.v1alpha1.NetworkFenceSpec.FenceState;
import io.openshift.csiaddons.v1alpha1.NetworkFenceStatus.Result;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** NetworkFence → FenceClusterNetwork / UnfenceClusterNetwork on the lab's east driver site. */
class NetworkFenceControllerTest {

  static final Duration FENCE = VolumeReplicationControllerTest.TIMEOUTS.of(TimeoutOperation.FENCE);
  static final Duration POLL = VolumeReplicationControllerTest.POLL;

  CsiAddonsLab lab;

  @BeforeEach
  void start() {
    lab = CsiAddonsLab.start();
  }

  @AfterEach
  void stop() {
    lab.close();
  }

  @Test
  void fencingAndUnfencingReachTheDriverAndSucceed() {
    Cluster east = lab.east();
    fenceClass(east, Map.of());
    fence(east, "west-nodes", FenceState.FENCED, List.of("10.90.0.0/24", "10.91.0.7/32"));

    awaitResult(east, "west-nodes", "fencing operation successful");
    assertThat(fencedCidrs(east)).contains("10.90.0.0/24", "10.91.0.7/32");
    NetworkFence fenced = get(east, "west-nodes");
    assertThat(fenced.getMetadata().getFinalizers()).contains(CsiAddons.NETWORK_FENCE_FINALIZER);
    assertThat(fenced.getStatus().getConditions())
        .extracting(VolumeReplicationControllerTest::describe)
        .containsExactly("Fenced=True/Fenced");

    east.client()
        .resources(NetworkFence.class)
        .withName("west-nodes")
        .edit(
            f -> {
              f.getSpec().setFenceState(FenceState.UNFENCED);
              return f;
            });

    awaitResult(east, "west-nodes", "unfencing operation successful");
    assertThat(fencedCidrs(east)).doesNotContain("10.90.0.0/24", "10.91.0.7/32");
  }

  @Test
  void deletingAFenceDoesNotUnfence() {
    Cluster east = lab.east();
    fenceClass(east, Map.of());
    fence(east, "west-nodes", FenceState.FENCED, List.of("10.92.0.0/24"));
    awaitResult(east, "west-nodes", "fencing operation successful");

    east.client().resources(NetworkFence.class).withName("west-nodes").delete();

    await("NetworkFence west-nodes gone")
        .atMost(FENCE)
        .pollInterval(POLL)
        .until(() -> get(east, "west-nodes") == null);
    assertThat(fencedCidrs(east)).contains("10.92.0.0/24");
  }

  @Test
  void aClassWithAnUnknownPrefixedParameterFailsValidation() {
    Cluster east = lab.east();
    fenceClass(east, Map.of("csiaddons.openshift.io/colour", "red"));
    fence(east, "west-nodes", FenceState.FENCED, List.of("10.93.0.0/24"));

    await("NetworkFence west-nodes failed validation")
        .atMost(FENCE)
        .pollInterval(POLL)
        .untilAsserted(
            () -> {
              NetworkFence nf = get(east, "west-nodes");
              assertThat(nf.getStatus()).isNotNull();
              assertThat(nf.getStatus().getResult()).isEqualTo(Result.FAILED);
              assertThat(nf.getStatus().getMessage())
                  .startsWith("Failed to validate Networkfence parameters: ")
                  .contains("csiaddons.openshift.io/colour");
            });
    assertThat(fencedCidrs(east)).doesNotContain("10.93.0.0/24");
  }

  private void awaitResult(Cluster cluster, String name, String message) {
    await("NetworkFence " + name + ": " + message)
        .atMost(FENCE)
        .pollInterval(POLL)
        .untilAsserted(
            () -> {
              NetworkFence nf = get(cluster, name);
              assertThat(nf.getStatus()).isNotNull();
              assertThat(nf.getStatus().getResult()).isEqualTo(Result.SUCCEEDED);
              assertThat(nf.getStatus().getMessage()).isEqualTo(message);
            });
  }

  private static NetworkFence get(Cluster cluster, String name) {
    return cluster.client().resources(NetworkFence.class).withName(name).get();
  }

  private static void fenceClass(Cluster cluster, Map<String, String> extra) {
    Map<String, String> parameters = new LinkedHashMap<>();
    if (!cluster.driver().secrets().isEmpty()) {
      parameters.put("csiaddons.openshift.io/networkfence-secret-name", "driver");
      parameters.put(
          "csiaddons.openshift.io/networkfence-secret-namespace", CsiAddonsLab.SECRET_NAMESPACE);
    }
    parameters.putAll(extra);
    NetworkFenceClass nfc = new NetworkFenceClass();
    nfc.getMetadata().setName("fence");
    NetworkFenceClassSpec spec = new NetworkFenceClassSpec();
    spec.setProvisioner(CsiAddonsLab.DRIVER);
    spec.setParameters(parameters);
    nfc.setSpec(spec);
    cluster.client().resource(nfc).create();
  }

  private static void fence(Cluster cluster, String name, FenceState state, List<String> cidrs) {
    NetworkFence nf = new NetworkFence();
    nf.getMetadata().setName(name);
    NetworkFenceSpec spec = new NetworkFenceSpec();
    spec.setNetworkFenceClassName("fence");
    spec.setFenceState(state);
    spec.setCidrs(cidrs);
    nf.setSpec(spec);
    cluster.client().resource(nf).create();
  }

  private static List<String> fencedCidrs(Cluster cluster) {
    return FenceControllerGrpc.newBlockingStub(cluster.driver().addons())
        .withDeadlineAfter(CsiAddonsLab.RPC_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
        .listClusterFence(
            ListClusterFenceRequest.newBuilder().putAllSecrets(cluster.driver().secrets()).build())
        .getCidrsList()
        .stream()
        .map(CIDR::getCidr)
        .toList();
  }
}
