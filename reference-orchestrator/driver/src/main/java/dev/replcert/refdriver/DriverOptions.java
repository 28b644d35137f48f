package dev.replcert.refdriver;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Everything one site of the reference driver is started with; the command line maps to it one
 * flag per field.
 *
 * @param site site name, e.g. {@code east}
 * @param root directory holding the site's volumes and metadata (survives restarts)
 * @param socket unix socket for CSI and csi-addons (and the vendor extensions)
 * @param addonsSocket separate socket for csi-addons, or null to serve them on {@code socket}
 * @param listen TCP address of this site's end of the replication link (port 0 = any free port)
 * @param peer TCP address of the peer site's replication link, or null for a site without peer
 * @param syncPeriod how often a primary ships a sync; null = the VolumeReplicationClass's
 *     {@code schedulingInterval} parameter (default 1m)
 * @param nodes the nodes of this site (id and client address); each gets a CSI Node socket
 * @param secrets when non-empty, every csi-addons request must carry exactly these secrets
 * @param defects switched-on defects (empty for the correct driver)
 * @param fenceScope what a network fence reaches: this site's storage, or the whole mirror
 */
public record DriverOptions(
    String site,
    Path root,
    Path socket,
    Path addonsSocket,
    InetSocketAddress listen,
    InetSocketAddress peer,
    Duration syncPeriod,
    List<NodeSpec> nodes,
    Map<String, String> secrets,
    Set<Defect> defects,
    FenceScope fenceScope) {

  /** The name the driver reports (GetPluginInfo / GetIdentity). */
  public static final String DRIVER_NAME = "reference.replcert.dev";

  public DriverOptions {
    Objects.requireNonNull(site, "site");
    Objects.requireNonNull(root, "root");
    Objects.requireNonNull(socket, "socket");
    Objects.requireNonNull(listen, "listen");
    nodes = nodes == null || nodes.isEmpty() ? List.of(NodeSpec.defaultFor(site)) : List.copyOf(nodes);
    secrets = secrets == null ? Map.of() : Map.copyOf(secrets);
    defects = defects == null ? Set.of() : Set.copyOf(defects);
    fenceScope = fenceScope == null ? FenceScope.SITE : fenceScope;
  }

  /** A site whose fences reach its own storage only ({@link FenceScope#SITE}). */
  public DriverOptions(
      String site,
      Path root,
      Path socket,
      Path addonsSocket,
      InetSocketAddress listen,
      InetSocketAddress peer,
      Duration syncPeriod,
      List<NodeSpec> nodes,
      Map<String, String> secrets,
      Set<Defect> defects) {
    this(site, root, socket, addonsSocket, listen, peer, syncPeriod, nodes, secrets, defects, FenceScope.SITE);
  }

  /**
   * What FenceClusterNetwork on one site reaches. Separate storage per site (Regional DR, as RBD
   * mirroring between two Ceph clusters) fences this site's storage only; one storage system
   * stretched over both sites (Metro DR) refuses the fenced clients everywhere, which is what
   * Ramen expects when it delivers the NetworkFence for a cluster to that cluster's peer.
   */
  public enum FenceScope {
    /** A fence refuses the ranges on this site's storage only. */
    SITE,
    /** A fence (and unfence) is shared over the replication link: both sites refuse the ranges. */
    MIRROR
  }

  public boolean has(Defect defect) {
    return defects.contains(defect);
  }

  /**
   * A node of a site: its CSI node id and the client address the storage sees its I/O from
   * (documentation ranges, RFC 5737; nothing ever connects to them).
   */
  public record NodeSpec(String id, String address) {
    public static NodeSpec defaultFor(String site) {
      return new NodeSpec(site + "-node-1", site.equals("west") ? "198.51.100.11" : "192.0.2.11");
    }
  }
}
