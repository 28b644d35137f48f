package dev.replcert.lab.substrate.csiaddons;

import dev.replcert.api.csiaddons.fence.CIDR;
import dev.replcert.api.csiaddons.fence.FenceClusterNetworkRequest;
import dev.replcert.api.csiaddons.fence.FenceControllerGrpc;
import dev.replcert.api.csiaddons.fence.UnfenceClusterNetworkRequest;
import dev.replcert.api.k8s.CsiAddons;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.grpc.Channel;
import io.grpc.StatusRuntimeException;
import io.openshift.csiaddons.v1alpha1.NetworkFence;
import io.openshift.csiaddons.v1alpha1.NetworkFenceClass;
import io.openshift.csiaddons.v1alpha1.NetworkFenceSpec.FenceState;
import io.openshift.csiaddons.v1alpha1.NetworkFenceStatus;
import io.openshift.csiaddons.v1alpha1.NetworkFenceStatus.Result;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * NetworkFence (cluster-scoped) → fence.FenceController: Fenced = FenceClusterNetwork(cidrs),
 * Unfenced = UnfenceClusterNetwork(cidrs). Parameters and secret come from the NetworkFenceClass
 * (reserved keys {@code csiaddons.openshift.io/networkfence-secret-name/-namespace}), or from the
 * deprecated spec fields. Deleting a NetworkFence removes its finalizer and does <em>not</em>
 * unfence, as in csi-addons.
 *
 * <p>Condition: type {@code Fenced}, True after a successful fence (reason {@code Fenced}), False
 * after a successful unfence (reason {@code Unfenced}); a failed operation or validation leaves the
 * status as it was and writes reason {@code FenceOperationFailed} / {@code ValidationFailed}
 * (csi-addons' reasons for NetworkFence conditions are not in the reference; these are replcert's).
 */
final class NetworkFenceReconciler {

  static final String CONDITION_FENCED = "Fenced";

  private final KubernetesClient client;
  private final FenceControllerGrpc.FenceControllerBlockingStub fence;
  private final String driverName;
  private final ControllerTiming timing;
  private final Duration rpcTimeout;

  NetworkFenceReconciler(
      KubernetesClient client,
      Channel channel,
      String driverName,
      ControllerTiming timing,
      Duration rpcTimeout) {
    this.client = client;
    this.fence = FenceControllerGrpc.newBlockingStub(channel);
    this.driverName = driverName;
    this.timing = timing;
    this.rpcTimeout = rpcTimeout;
  }

  Optional<Duration> reconcile(String name) {
    NetworkFence nf = client.resources(NetworkFence.class).withName(name).get();
    if (nf == null) {
      return Optional.empty();
    }
    if (nf.getMetadata().getDeletionTimestamp() != null) {
      if (nf.getMetadata().getFinalizers().contains(CsiAddons.NETWORK_FENCE_FINALIZER)) {
        client
            .resources(NetworkFence.class)
            .withName(name)
            .edit(
                f -> {
                  f.getMetadata().getFinalizers().remove(CsiAddons.NETWORK_FENCE_FINALIZER);
                  return f;
                });
      }
      return Optional.empty();
    }
    if (!nf.getMetadata().getFinalizers().contains(CsiAddons.NETWORK_FENCE_FINALIZER)) {
      client
          .resources(NetworkFence.class)
          .withName(name)
          .edit(
              f -> {
                if (!f.getMetadata().getFinalizers().contains(CsiAddons.NETWORK_FENCE_FINALIZER)) {
                  f.getMetadata().getFinalizers().add(CsiAddons.NETWORK_FENCE_FINALIZER);
                }
                return f;
              });
    }
    long generation =
        nf.getMetadata().getGeneration() == null ? 0 : nf.getMetadata().getGeneration();
    List<Condition> conditions =
        nf.getStatus() == null || nf.getStatus().getConditions() == null
            ? new ArrayList<>()
            : new ArrayList<>(nf.getStatus().getConditions());

    ClassParameters parameters;
    Map<String, String> secrets;
    try {
      parameters = parameters(nf);
      secrets = parameters.secrets(client);
    } catch (IllegalArgumentException | IllegalStateException e) {
      String message = "Failed to validate Networkfence parameters: " + e.getMessage();
      Conditions.set(
          conditions, CONDITION_FENCED, "Unknown", "ValidationFailed", message, generation);
      writeStatus(name, Result.FAILED, message, conditions);
      return Optional.of(timing.errorRequeue());
    }

    FenceState state =
        nf.getSpec().getFenceState() == null ? FenceState.FENCED : nf.getSpec().getFenceState();
    List<CIDR> cidrs =
        nf.getSpec().getCidrs() == null
            ? List.of()
            : nf.getSpec().getCidrs().stream()
                .map(c -> CIDR.newBuilder().setCidr(c).build())
                .toList();
    var stub = fence.withDeadlineAfter(rpcTimeout.toMillis(), TimeUnit.MILLISECONDS);
    try {
      if (state == FenceState.FENCED) {
        stub.fenceClusterNetwork(
            FenceClusterNetworkRequest.newBuilder()
                .putAllParameters(parameters.driverParameters())
                .putAllSecrets(secrets)
                .addAllCidrs(cidrs)
                .build());
        Conditions.set(
            conditions,
            CONDITION_FENCED,
            "True",
            "Fenced",
            "fencing operation successful",
            generation);
        writeStatus(name, Result.SUCCEEDED, "fencing operation successful", conditions);
      } else {
        stub.unfenceClusterNetwork(
            UnfenceClusterNetworkRequest.newBuilder()
                .putAllParameters(parameters.driverParameters())
                .putAllSecrets(secrets)
                .addAllCidrs(cidrs)
                .build());
        Conditions.set(
            conditions,
            CONDITION_FENCED,
            "False",
            "Unfenced",
            "unfencing operation successful",
            generation);
        writeStatus(name, Result.SUCCEEDED, "unfencing operation successful", conditions);
      }
      return Optional.empty();
    } catch (StatusRuntimeException e) {
      String operation = state == FenceState.FENCED ? "fencing" : "unfencing";
      String message = operation + " operation failed: " + VolumeReplicationReconciler.message(e);
      Conditions.set(
          conditions, CONDITION_FENCED, "Unknown", "FenceOperationFailed", message, generation);
      writeStatus(name, Result.FAILED, message, conditions);
      return Optional.of(timing.errorRequeue());
    }
  }

  private ClassParameters parameters(NetworkFence nf) {
    String className = nf.getSpec().getNetworkFenceClassName();
    if (className != null && !className.isBlank()) {
      NetworkFenceClass nfc = client.resources(NetworkFenceClass.class).withName(className).get();
      if (nfc == null) {
        throw new IllegalStateException(
            "networkfenceclasses.csiaddons.openshift.io \"" + className + "\" not found");
      }
      if (!driverName.equals(nfc.getSpec().getProvisioner())) {
        throw new IllegalArgumentException(
            "no connections for driver: " + nfc.getSpec().getProvisioner());
      }
      return ClassParameters.fence(nfc.getSpec().getParameters());
    }
    // deprecated: driver, secret and parameters on the NetworkFence itself
    if (!driverName.equals(nf.getSpec().getDriver())) {
      throw new IllegalArgumentException("no connections for driver: " + nf.getSpec().getDriver());
    }
    ClassParameters inline = ClassParameters.fence(nf.getSpec().getParameters());
    var secret = nf.getSpec().getSecret();
    return secret == null || secret.getName() == null
        ? inline
        : new ClassParameters(inline.driverParameters(), secret.getName(), secret.getNamespace());
  }

  private void writeStatus(String name, Result result, String message, List<Condition> conditions) {
    NetworkFence fresh = client.resources(NetworkFence.class).withName(name).get();
    if (fresh == null) {
      return;
    }
    NetworkFenceStatus status =
        fresh.getStatus() == null ? new NetworkFenceStatus() : fresh.getStatus();
    status.setResult(result);
    status.setMessage(message);
    status.setConditions(conditions);
    fresh.setStatus(status);
    client.resource(fresh).updateStatus();
  }
}
