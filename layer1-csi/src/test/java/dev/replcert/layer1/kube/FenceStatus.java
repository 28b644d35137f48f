package dev.replcert.layer1.kube;

import io.fabric8.kubernetes.api.model.Condition;
import io.openshift.csiaddons.v1alpha1.NetworkFence;
import io.openshift.csiaddons.v1alpha1.NetworkFenceStatus;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * One observation of a NetworkFence, as waits see it and print it on timeout: spec (state,
 * CIDRs), result, message, conditions and finalizers. A fence that does not exist is an
 * observation too.
 */
public record FenceStatus(NetworkFence fence) {

  public static final String FENCED_MESSAGE = "fencing operation successful";
  public static final String UNFENCED_MESSAGE = "unfencing operation successful";

  public boolean exists() {
    return fence != null;
  }

  public Optional<NetworkFenceStatus> status() {
    return Optional.ofNullable(fence).map(NetworkFence::getStatus);
  }

  public boolean succeeded() {
    return status().map(NetworkFenceStatus::getResult).map(r -> r == NetworkFenceStatus.Result.SUCCEEDED)
        .orElse(false);
  }

  public String message() {
    return status().map(NetworkFenceStatus::getMessage).orElse(null);
  }

  /** Result Succeeded with exactly csi-addons' message for the operation. */
  public boolean succeededWith(String message) {
    return succeeded() && message.equals(message());
  }

  public List<String> finalizers() {
    return fence == null ? List.of() : fence.getMetadata().getFinalizers();
  }

  @Override
  public String toString() {
    if (fence == null) {
      return "no such NetworkFence";
    }
    String head = "spec{fenceState " + fence.getSpec().getFenceState() + ", cidrs " + fence.getSpec().getCidrs()
        + "}" + (fence.getMetadata().getDeletionTimestamp() == null ? "" : ", deleting")
        + ", finalizers " + finalizers();
    NetworkFenceStatus s = fence.getStatus();
    if (s == null) {
      return head + ", no status";
    }
    List<Condition> conditions = s.getConditions() == null ? List.of() : s.getConditions();
    return head + ", status{result " + s.getResult() + ", message \"" + s.getMessage() + "\", conditions "
        + conditions.stream().map(c -> c.getType() + "=" + c.getStatus() + "/" + c.getReason())
            .collect(Collectors.joining(", ", "[", "]"))
        + "}";
  }
}
