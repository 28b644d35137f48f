package dev.replcert.lab.substrate;

import dev.replcert.refdriver.DriverOptions.NodeSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * The nodes of a lab site: {@code <site>-node-1..n} with client addresses from the documentation
 * ranges (RFC 5737: 192.0.2.0/24 for east, 198.51.100.0/24 for west, 203.0.113.0/24 for any other
 * site), so a NetworkFence CIDR of one site never touches the other. The same list goes to the
 * driver ({@code DriverOptions.nodes}) and to {@link SiteSubstrate#start}, so Node objects, CSI
 * node ids and the addresses the storage fences by agree.
 */
public final class LabNodes {

  private LabNodes() {}

  public static List<NodeSpec> of(String site, int count) {
    if (count < 1 || count > 200) {
      throw new IllegalArgumentException("a lab site has 1 to 200 nodes, not " + count);
    }
    String prefix =
        switch (site) {
          case "east" -> "192.0.2.";
          case "west" -> "198.51.100.";
          default -> "203.0.113.";
        };
    List<NodeSpec> nodes = new ArrayList<>();
    for (int i = 1; i <= count; i++) {
      nodes.add(new NodeSpec(site + "-node-" + i, prefix + (10 + i)));
    }
    return List.copyOf(nodes);
  }
}
