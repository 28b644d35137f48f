package dev.replcert.lab.substrate.kubelet;

import dev.replcert.refdriver.DriverOptions.NodeSpec;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Instant;
import java.util.List;

/**
 * The Node objects of a site, as each node's kubelet registers itself: named by the CSI node id,
 * with the InternalIP the driver sees the node's I/O from (so a NetworkFence on a node's CIDR
 * fences exactly that node), Ready.
 */
final class NodeObjects {

  static final String SITE_LABEL = "replcert.dev/site";

  private NodeObjects() {}

  static void register(KubernetesClient client, String site, List<NodeSpec> nodes) {
    String now = Instant.now().toString();
    for (NodeSpec spec : nodes) {
      Node node =
          new NodeBuilder()
              .withNewMetadata()
              .withName(spec.id())
              .addToLabels("kubernetes.io/hostname", spec.id())
              .addToLabels("kubernetes.io/os", "linux")
              .addToLabels(SITE_LABEL, site)
              .endMetadata()
              .withNewStatus()
              .addNewAddress()
              .withType("InternalIP")
              .withAddress(spec.address())
              .endAddress()
              .addNewAddress()
              .withType("Hostname")
              .withAddress(spec.id())
              .endAddress()
              .addNewCondition()
              .withType("Ready")
              .withStatus("True")
              .withReason("KubeletReady")
              .withMessage("the lab's kubelet is posting ready status")
              .withLastHeartbeatTime(now)
              .withLastTransitionTime(now)
              .endCondition()
              .endStatus()
              .build();
      Node existing = client.nodes().withName(spec.id()).get();
      if (existing == null) {
        client.nodes().resource(node).create();
      }
      // status is a subresource on a real API server: written on its own, also after a restart
      client
          .nodes()
          .withName(spec.id())
          .editStatus(n -> new NodeBuilder(n).withStatus(node.getStatus()).build());
    }
  }
}
