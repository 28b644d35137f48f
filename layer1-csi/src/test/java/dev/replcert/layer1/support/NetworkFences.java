package dev.replcert.layer1.support;

import static dev.replcert.layer1.support.RpcCalls.must;

import dev.replcert.api.csi.v1.NodeGetInfoRequest;
import dev.replcert.api.csiaddons.fence.CIDR;
import dev.replcert.api.csiaddons.fence.ClientDetails;
import dev.replcert.api.csiaddons.fence.FenceClusterNetworkRequest;
import dev.replcert.api.csiaddons.fence.GetFenceClientsRequest;
import dev.replcert.api.csiaddons.fence.ListClusterFenceRequest;
import dev.replcert.api.csiaddons.fence.UnfenceClusterNetworkRequest;
import dev.replcert.harness.track.ResourceTracker;
import io.grpc.StatusRuntimeException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.stream.Collectors;

/**
 * csi-addons fence.FenceController on one site, as a test uses it. Every fence a test sets is
 * lifted again at cleanup, whatever happened in between: a fence left behind cuts a node off.
 */
public final class NetworkFences {

  /** Documentation ranges (RFC 5737, RFC 3849): fencing one cuts off no real client. */
  private static final List<String> UNUSED_RANGES =
      List.of("203.0.113.0/24", "198.51.100.0/24", "192.0.2.0/24", "2001:db8::/32");

  private final SiteDriver site;
  private final ResourceTracker tracker;

  public NetworkFences(SiteDriver site, ResourceTracker tracker) {
    this.site = site;
    this.tracker = tracker;
  }

  /**
   * The client addresses of the node the harness publishes on, as GetFenceClients reports them
   * for that node (matched by NodeGetInfo's node id; a single reported client is taken as it).
   */
  public List<String> harnessNodeCidrs() {
    String nodeId =
        must(site.site(), "NodeGetInfo", () -> site.stubs().node().nodeGetInfo(NodeGetInfoRequest.getDefaultInstance()))
            .getNodeId();
    List<ClientDetails> clients;
    try {
      clients =
          site.stubs()
              .fence()
              .getFenceClients(GetFenceClientsRequest.newBuilder().putAllSecrets(site.secrets()).build())
              .getClientsList();
    } catch (StatusRuntimeException e) {
      throw new AssertionError(
          site.site() + ": cannot find the client address of node " + nodeId + " to fence it:"
              + " GetFenceClients failed with " + e.getStatus().getCode()
              + (e.getStatus().getDescription() == null ? "" : " (" + e.getStatus().getDescription() + ")")
              + ", and the configuration names no node address. A driver that claims network-fence"
              + " must report its clients (GET_CLIENTS_TO_FENCE).",
          e);
    }
    List<ClientDetails> node = clients.stream().filter(c -> c.getId().equals(nodeId)).toList();
    if (node.isEmpty() && clients.size() == 1) {
      node = clients;
    }
    if (node.size() != 1 || node.get(0).getAddressesCount() == 0) {
      throw new AssertionError(
          site.site() + ": GetFenceClients reports no addresses for node " + nodeId
              + " (NodeGetInfo) among its clients: " + clients);
    }
    return node.get(0).getAddressesList().stream().map(CIDR::getCidr).toList();
  }

  /** A documentation range that holds none of {@code cidrs}: fencing it must not touch them. */
  public static String unrelatedRange(List<String> cidrs) {
    return UNUSED_RANGES.stream()
        .filter(range -> cidrs.stream().noneMatch(c -> overlaps(range, c)))
        .findFirst()
        .orElseThrow(() -> new IllegalStateException("every documentation range overlaps " + cidrs));
  }

  /** FenceClusterNetwork; the same ranges are unfenced at cleanup. */
  public void mustFence(List<String> cidrs) {
    must(site.site(), "FenceClusterNetwork " + cidrs, () -> site.stubs().fence().fenceClusterNetwork(fence(cidrs)));
    tracker.track("fence of " + cidrs + " on " + site.site(), () -> unfence(cidrs));
  }

  public FenceClusterNetworkRequest fence(List<String> cidrs) {
    return FenceClusterNetworkRequest.newBuilder()
        .addAllCidrs(cidrs.stream().map(c -> CIDR.newBuilder().setCidr(c).build()).toList())
        .putAllSecrets(site.secrets())
        .build();
  }

  public void mustUnfence(List<String> cidrs) {
    must(site.site(), "UnfenceClusterNetwork " + cidrs, () -> unfence(cidrs));
  }

  private Object unfence(List<String> cidrs) {
    return site.stubs()
        .fence()
        .unfenceClusterNetwork(
            UnfenceClusterNetworkRequest.newBuilder()
                .addAllCidrs(cidrs.stream().map(c -> CIDR.newBuilder().setCidr(c).build()).toList())
                .putAllSecrets(site.secrets())
                .build());
  }

  /** ListClusterFence, each range in canonical form (address masked to its prefix). */
  public List<String> mustList() {
    return must(
            site.site(),
            "ListClusterFence",
            () ->
                site.stubs()
                    .fence()
                    .listClusterFence(ListClusterFenceRequest.newBuilder().putAllSecrets(site.secrets()).build()))
        .getCidrsList()
        .stream()
        .map(c -> canonical(c.getCidr()))
        .collect(Collectors.toList());
  }

  /** {@code 192.0.2.11} and {@code 192.0.2.11/32} alike become {@code 192.0.2.11/32}. */
  public static String canonical(String cidr) {
    Range range = Range.parse(cidr);
    return range.network().getHostAddress() + "/" + range.prefix();
  }

  static boolean overlaps(String a, String b) {
    Range x = Range.parse(a);
    Range y = Range.parse(b);
    if (x.network().getAddress().length != y.network().getAddress().length) {
      return false;
    }
    int prefix = Math.min(x.prefix(), y.prefix());
    return Range.mask(x.network().getAddress(), prefix).equals(Range.mask(y.network().getAddress(), prefix));
  }

  /** An address range: the network address (host bits cleared) and its prefix length. */
  private record Range(InetAddress network, int prefix) {

    static Range parse(String cidr) {
      String text = cidr.strip();
      int slash = text.indexOf('/');
      String address = slash < 0 ? text : text.substring(0, slash);
      try {
        byte[] bytes = InetAddress.getByName(address).getAddress();
        int prefix = slash < 0 ? bytes.length * 8 : Integer.parseInt(text.substring(slash + 1));
        return new Range(mask(bytes, prefix), prefix);
      } catch (UnknownHostException | NumberFormatException e) {
        throw new AssertionError("'" + cidr + "' is not an address range in CIDR notation", e);
      }
    }

    static InetAddress mask(byte[] address, int prefix) {
      byte[] masked = address.clone();
      for (int bit = prefix; bit < masked.length * 8; bit++) {
        masked[bit / 8] &= (byte) ~(0x80 >>> (bit % 8));
      }
      try {
        return InetAddress.getByAddress(masked);
      } catch (UnknownHostException e) {
        throw new IllegalStateException(e);
      }
    }
  }
}
