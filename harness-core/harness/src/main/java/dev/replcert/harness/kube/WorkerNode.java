package dev.replcert.harness.kube;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddress;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * A node of a cluster as a fencing test sees it: its name (pods are bound to it with {@code
 * spec.nodeName}) and the InternalIP of its Node object, the client address a storage system
 * fences. Read from the cluster, never assumed: the lab's documentation-range addresses and a real
 * cluster's are found the same way.
 */
public record WorkerNode(String name, String address) {

  /** The node's address as a one-address CIDR, what a NetworkFence lists for it. */
  public String cidr() {
    return address + (address.contains(":") ? "/128" : "/32");
  }

  /** The cluster's nodes that report an InternalIP and accept pods, by name. */
  public static List<WorkerNode> of(KubernetesClient client) {
    return client.nodes().list().getItems().stream()
        .filter(n -> n.getSpec() == null || !Boolean.TRUE.equals(n.getSpec().getUnschedulable()))
        .map(WorkerNode::internal)
        .filter(Objects::nonNull)
        .sorted(Comparator.comparing(WorkerNode::name))
        .toList();
  }

  private static WorkerNode internal(Node node) {
    if (node.getStatus() == null || node.getStatus().getAddresses() == null) {
      return null;
    }
    return node.getStatus().getAddresses().stream()
        .filter(a -> "InternalIP".equals(a.getType()))
        .map(NodeAddress::getAddress)
        .findFirst()
        .map(address -> new WorkerNode(node.getMetadata().getName(), address))
        .orElse(null);
  }
}
